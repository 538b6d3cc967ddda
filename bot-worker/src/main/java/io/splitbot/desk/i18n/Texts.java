package io.splitbot.desk.i18n;

/** The texts of one language: {@code t("created", "number", "250927-001")}. */
public final class Texts {
  private final Messages messages;
  private final String language;

  Texts(Messages messages, String language) {
    this.messages = messages;
    this.language = language;
  }

  public String language() {
    return language;
  }

  /** The text of {@code key} with its {@code {name}} placeholders filled; the key itself if no bundle has it. */
  public String t(String key, Object... nameValues) {
    String template = messages.raw(language, key);
    return template == null ? key : Messages.fill(template, nameValues);
  }

  /**
   * A refusal's reason ({@code DeskException}): as {@link #t}, with status codes among the values named
   * {@code from}, {@code to} and {@code status} shown by their names.
   */
  public String reason(String key, Object... nameValues) {
    Object[] shown = nameValues.clone();
    for (int i = 0; i + 1 < shown.length; i += 2) {
      String name = String.valueOf(shown[i]);
      if ((name.equals("from") || name.equals("to") || name.equals("status")) && has("status." + shown[i + 1])) {
        shown[i + 1] = status(String.valueOf(shown[i + 1]));
      }
    }
    return t(key, shown);
  }

  public boolean has(String key) {
    return messages.raw(language, key) != null;
  }

  /** A status, category or priority code's name in this language ("in_progress" → "In progress"). */
  public String status(String code) {
    return code == null ? "" : t("status." + code);
  }

  public String category(String code) {
    return code == null ? "" : t("category." + code);
  }

  public String priority(String code) {
    return code == null ? "" : t("priority." + code);
  }

  /** A platform's name ("max" → "MAX"); the code itself for one without a name. */
  public String platform(String code) {
    return has("platform." + code) ? t("platform." + code) : code;
  }
}
