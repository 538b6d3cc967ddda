package io.splitbot.worker.bot;

/**
 * Cutting a text to a length, the one way the runtime and its bots do it: never inside a code point (a cut never
 * leaves half of a surrogate pair, which the platforms refuse as invalid UTF-8), where it can not inside a character
 * built of several code points (an emoji with a skin tone or a ZWJ sequence, a flag, a letter with combining marks),
 * and with {@link #MARK} where the text was cut. A text that fits is returned as it is.
 *
 * <p>{@link #cut} counts code points (what a person counts as characters, and what the desk's field limits count);
 * {@link #cutUnits} counts UTF-16 code units ({@code String.length()}, what Telegram counts a message in).
 */
public final class TextFit {
  /** Marks a cut. One code point, one UTF-16 unit. */
  public static final String MARK = "…";
  /** How far (in code points) a cut backs off to stay out of a composed character before it settles for a code point. */
  private static final int MAX_BACKOFF = 16;
  private static final int ZWJ = 0x200D;

  private TextFit() {
  }

  /** {@code text} in at most {@code maxCodePoints} code points, the mark included; null stays null. */
  public static String cut(String text, int maxCodePoints) {
    if (text == null || text.codePointCount(0, text.length()) <= maxCodePoints) {
      return text;
    }
    if (maxCodePoints <= 0) {
      return "";
    }
    return text.substring(0, boundary(text, text.offsetByCodePoints(0, maxCodePoints - 1))) + MARK;
  }

  /** {@code text} in at most {@code maxUnits} UTF-16 code units, the mark included; null stays null. */
  public static String cutUnits(String text, int maxUnits) {
    if (text == null || text.length() <= maxUnits) {
      return text;
    }
    if (maxUnits <= 0) {
      return "";
    }
    return text.substring(0, boundary(text, maxUnits - MARK.length())) + MARK;
  }

  /**
   * The largest index at or before {@code at} where {@code text} may be cut: never between the two halves of a
   * surrogate pair, and not inside a composed character when backing off a few code points finds its start.
   */
  public static int boundary(String text, int at) {
    int end = Math.max(0, Math.min(at, text.length()));
    if (end > 0 && end < text.length() && Character.isLowSurrogate(text.charAt(end))
        && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    int cut = end;
    for (int i = 0; i < MAX_BACKOFF && inside(text, cut); i++) {
      cut -= Character.charCount(text.codePointBefore(cut));
    }
    return inside(text, cut) ? end : cut;
  }

  /** {@code text} with each lone surrogate (half a pair, which no platform takes) replaced by U+FFFD. */
  public static String mend(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      }
      if (Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(text.length()).append(text, 0, i);
        }
        out.append('\uFFFD');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /** Whether {@code text} holds half a surrogate pair. */
  public static boolean hasLoneSurrogate(String text) {
    return text != null && !mend(text).equals(text);
  }

  /** Whether the code points either side of {@code i} make one character together. */
  private static boolean inside(String text, int i) {
    if (i <= 0 || i >= text.length()) {
      return false;
    }
    int before = text.codePointBefore(i);
    int after = text.codePointAt(i);
    if (before == ZWJ || extender(after)) {
      return true;
    }
    if (regional(before) && regional(after)) {
      // a flag is a pair of regional indicators: inside one when an odd number of them precede i
      int count = 0;
      for (int j = i; j > 0 && regional(text.codePointBefore(j)); j -= Character.charCount(text.codePointBefore(j))) {
        count++;
      }
      return count % 2 == 1;
    }
    return false;
  }

  /** A code point that attaches to the one before it. */
  private static boolean extender(int cp) {
    if (cp == ZWJ || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F)
        || cp == 0x20E3) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK;
  }

  private static boolean regional(int cp) {
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
  }
}
