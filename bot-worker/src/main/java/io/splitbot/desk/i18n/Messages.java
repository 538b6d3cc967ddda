package io.splitbot.desk.i18n;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The desk bot's texts in every language it speaks, loaded once from {@code desk/messages_<lang>.properties}
 * (UTF-8). Placeholders are named, {@code {number}}, so translators can reorder them and need no quoting rules.
 * A key missing from a language falls back to English, so a half-translated bundle still works.
 */
public final class Messages {
  public static final List<String> LANGUAGES = List.of("en", "ru");
  private static final String FALLBACK = "en";

  private final Map<String, Map<String, String>> bundles;
  private final String defaultLanguage;

  private Messages(Map<String, Map<String, String>> bundles, String defaultLanguage) {
    this.bundles = bundles;
    this.defaultLanguage = defaultLanguage;
  }

  /** Loads every bundle; a missing or unreadable bundle is a packaging error and fails at start-up. */
  public static Messages load(String defaultLanguage) {
    if (!LANGUAGES.contains(defaultLanguage)) {
      throw new IllegalArgumentException("no bundle for language " + defaultLanguage);
    }
    Map<String, Map<String, String>> bundles = new LinkedHashMap<>();
    for (String lang : LANGUAGES) {
      bundles.put(lang, read("desk/messages_" + lang + ".properties"));
    }
    return new Messages(bundles, defaultLanguage);
  }

  private static Map<String, String> read(String resource) {
    try (InputStream in = Messages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("message bundle " + resource + " is missing from the jar");
      }
      Properties p = new Properties();
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        p.load(reader);
      }
      Map<String, String> map = new HashMap<>();
      p.forEach((k, v) -> map.put((String) k, (String) v));
      return Map.copyOf(map);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read message bundle " + resource + ": " + e.getMessage(), e);
    }
  }

  public String defaultLanguage() {
    return defaultLanguage;
  }

  /** The bundle for a Telegram {@code language_code} ("ru", "ru-RU", "en-GB", ...), or the default one. */
  public String language(String languageCode) {
    if (languageCode != null) {
      String lang = languageCode.toLowerCase(Locale.ROOT);
      int dash = lang.indexOf('-');
      lang = dash > 0 ? lang.substring(0, dash) : lang;
      if (bundles.containsKey(lang)) {
        return lang;
      }
    }
    return defaultLanguage;
  }

  public Texts in(String language) {
    return new Texts(this, bundles.containsKey(language) ? language : defaultLanguage);
  }

  public Texts forUser(String languageCode) {
    return in(language(languageCode));
  }

  /** The raw text of {@code key} in {@code language}, English when that bundle lacks it, null when none has it. */
  String raw(String language, String key) {
    String v = bundles.get(language).get(key);
    return v != null ? v : bundles.get(FALLBACK).get(key);
  }

  /** Every key of a bundle (for the completeness test and the vocabulary's aliases). */
  public Set<String> keys(String language) {
    return bundles.get(language).keySet();
  }

  /**
   * The template with each {@code {name}} replaced by its value, in one pass over the template: a value is never
   * read again, so a title that holds {@code {text}} shows as typed instead of pulling in another value.
   * A placeholder without a value stays as written.
   */
  static String fill(String template, Object... nameValues) {
    if (nameValues.length == 0 || template.indexOf('{') < 0) {
      return template;
    }
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i + 1 < nameValues.length; i += 2) {
      values.putIfAbsent(String.valueOf(nameValues[i]), String.valueOf(nameValues[i + 1]));
    }
    StringBuilder out = new StringBuilder(template.length() + 32);
    int from = 0;
    while (from < template.length()) {
      int open = template.indexOf('{', from);
      int close = open < 0 ? -1 : template.indexOf('}', open + 1);
      if (close < 0) {
        break;
      }
      String value = values.get(template.substring(open + 1, close));
      out.append(template, from, open).append(value != null ? value : template.substring(open, close + 1));
      from = close + 1;
    }
    return out.append(template, from, template.length()).toString();
  }
}
