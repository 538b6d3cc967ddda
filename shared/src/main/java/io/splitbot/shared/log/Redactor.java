package io.splitbot.shared.log;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets and personal data in any text before it reaches a log line or an error message: bot tokens,
 * credentials in URLs (the whole userinfo part, and query parameters named like a secret, token, key or password),
 * bearer tokens, and phone numbers.
 *
 * <p>Phone numbers are recognised by their shape, not by any run of digits (update ids and group chat ids are long
 * digit runs too): an international number with a leading {@code +}; a number written with separators, such as
 * {@code 8 (999) 123-45-67} or {@code 999-123-4567}; and any number given as the value of a {@code phone},
 * {@code phone_number} or {@code tel} field, as in Telegram's contact JSON. Only the last two digits stay visible.
 */
public final class Redactor {
  // The Bot API puts the token in the path: /bot123456:AA.../sendMessage
  private static final Pattern BOT_TOKEN = Pattern.compile("(\\d{3,}):[A-Za-z0-9_-]{20,}");
  // Credentials in URLs: redis://:pass@host, postgresql://user:pass@host, https://TOKEN@host
  private static final Pattern URL_USERINFO = Pattern.compile("(?<=://)[^/@\\s?#]+@");
  // ?token=…, &client_secret=…, ;api_key=…, ?password=…
  private static final Pattern URL_SECRET_PARAM = Pattern.compile(
      "(?i)([?&;][^=&\\s#?]*(?:secret|token|key|password|passwd|pwd)[^=&\\s#?]*=)[^&;\\s#\"']+");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
  // "phone_number":"79991234567", phone=+7 999 123 45 67, tel: 8-999-123-45-67
  private static final Pattern PHONE_FIELD = Pattern.compile(
      "(?iu)((?<![\\p{L}\\d_])(?:phone(?:_number)?|tel|telephone|телефон)\"?\\s*[:=]\\s*\"?)(\\+?\\d[\\d\\s().-]{4,22}\\d)");
  // +79991234567, +7 (999) 123-45-67, +44 20 7946 0958
  private static final Pattern PHONE_INTERNATIONAL = Pattern.compile("(?<![\\w+])\\+\\d(?:[\\s().-]{0,2}\\d){8,16}(?!\\d)");
  // 8 (999) 123-45-67, 999 123-45-67, (999) 123-4567, 999-123-4567
  private static final Pattern PHONE_FORMATTED = Pattern.compile(
      "(?<![\\w.+-])(?:\\d{1,3}[\\s.-]?)?(?:\\(\\d{3}\\)|\\d{3})[\\s.-]?\\d{3}(?:[\\s.-]\\d{2}[\\s.-]\\d{2}|[.-]\\d{4})(?![\\w-])");

  private Redactor() {
  }

  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = BOT_TOKEN.matcher(text).replaceAll("$1:***");
    out = URL_USERINFO.matcher(out).replaceAll("***@");
    out = URL_SECRET_PARAM.matcher(out).replaceAll("$1***");
    out = BEARER.matcher(out).replaceAll("$1***");
    return maskPhones(out);
  }

  /** Phone numbers only (the other rules are in {@link #mask}). */
  public static String maskPhones(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = replace(PHONE_FIELD, text, m -> m.group(1) + hide(m.group(2)));
    out = replace(PHONE_INTERNATIONAL, out, m -> hide(m.group()));
    return replace(PHONE_FORMATTED, out, m -> hide(m.group()));
  }

  /** "***67": the last two digits, so a support person can still tell two numbers apart. */
  private static String hide(String phone) {
    String digits = phone.replaceAll("\\D", "");
    return "***" + (digits.length() > 2 ? digits.substring(digits.length() - 2) : "");
  }

  private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> with) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    do {
      m.appendReplacement(out, Matcher.quoteReplacement(with.apply(m)));
    } while (m.find());
    m.appendTail(out);
    return out.toString();
  }
}
