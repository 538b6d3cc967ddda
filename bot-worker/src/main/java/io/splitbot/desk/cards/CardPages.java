package io.splitbot.desk.cards;

import io.splitbot.worker.bot.TextFit;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays blocks of text (a card's lines, a description, each comment) out on pages of at most a given length in UTF-16
 * code units, one block after another, joined by line breaks. A block that fits on a page of its own is never split:
 * it moves to the next page. A longer one fills the page, at a space where one is near and never inside a character,
 * ends with "…", and goes on from "…" on the next page.
 */
final class CardPages {
  /** The least room worth starting a long block in; with less, it starts on the next page. */
  static final int MIN_ROOM = 200;
  /** How far back from the page's end a split looks for a space, so words stay whole. */
  private static final int WORD_LOOKBACK = 80;

  private CardPages() {
  }

  /** The pages (at least one), each at most {@code budget} units; {@code budget} must exceed {@link #MIN_ROOM}. */
  static List<String> split(List<String> blocks, int budget) {
    List<String> pages = new ArrayList<>();
    StringBuilder page = new StringBuilder();
    for (String block : blocks) {
      String rest = block;
      while (rest != null) {
        if (page.isEmpty() && rest.isEmpty()) {
          break; // no page starts with a blank line
        }
        int room = budget - page.length() - (page.isEmpty() ? 0 : 1);
        if (rest.length() <= room) {
          append(page, rest);
          rest = null;
        } else if (rest.length() <= budget || room < MIN_ROOM) {
          pages.add(flush(page));
        } else {
          int end = split(rest, room - TextFit.MARK.length());
          append(page, rest.substring(0, end) + TextFit.MARK);
          pages.add(flush(page));
          rest = TextFit.MARK + rest.substring(end).stripLeading();
        }
      }
    }
    if (!page.isEmpty() || pages.isEmpty()) {
      pages.add(flush(page));
    }
    return pages;
  }

  /** Where to split {@code text} to keep at most {@code max} units: after a space near the end, else at a safe boundary. */
  private static int split(String text, int max) {
    int end = TextFit.boundary(text, max);
    for (int i = end; i > Math.max(0, end - WORD_LOOKBACK); i--) {
      if (Character.isWhitespace(text.charAt(i - 1))) {
        return i;
      }
    }
    return end;
  }

  private static void append(StringBuilder page, String block) {
    if (!page.isEmpty()) {
      page.append('\n');
    }
    page.append(block);
  }

  private static String flush(StringBuilder page) {
    String text = page.toString().stripTrailing();
    page.setLength(0);
    return text;
  }
}
