package io.splitbot.worker.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Cuts on code points, never inside a surrogate pair, where it can not inside a composed emoji, and marks the cut. */
class TextFitTest {
  private static final String FACE = "😀"; // one code point, two UTF-16 units

  @Test
  void aTextThatFitsIsLeftAsItIs() {
    String exactly = "a".repeat(4096);
    assertSame(exactly, TextFit.cutUnits(exactly, 4096), "exactly the limit");
    assertSame(exactly, TextFit.cut(exactly, 4096));
    assertNull(TextFit.cut(null, 10));
    assertEquals("", TextFit.cut("abc", 0));
  }

  @Test
  void oneOverTheLimitIsCutWithTheMark() {
    String text = "б".repeat(4097);
    String cut = TextFit.cutUnits(text, 4096);
    assertEquals(4096, cut.length());
    assertEquals("б".repeat(4095) + "…", cut);
    assertEquals("бб…", TextFit.cut("бббб", 3), "three code points, the mark included");
  }

  @Test
  void aSurrogatePairAcrossTheCutIsLeftWholeOnTheFarSide() {
    // units 0..4093 are 'a', the pair sits at 4094-4095: cutting to 4095 units would keep its first half
    String text = "a".repeat(4094) + FACE + "tail";
    String cut = TextFit.cutUnits(text, 4096);
    assertEquals("a".repeat(4094) + "…", cut);
    assertFalse(TextFit.hasLoneSurrogate(cut));
    String emoji = FACE.repeat(3000);
    String cutEmoji = TextFit.cutUnits(emoji, 4096);
    assertTrue(cutEmoji.length() <= 4096);
    assertEquals(FACE.repeat(2047) + "…", cutEmoji);
    assertEquals(FACE.repeat(29) + "…", TextFit.cut(FACE.repeat(40), 30), "counted in code points");
  }

  @Test
  void aComposedEmojiIsNotTornApart() {
    String family = "👩\u200D👩\u200D👧"; // a ZWJ sequence of three people
    String text = "ab" + family + "cd";
    // cutting at 6 code points would end inside the family: the whole family moves past the cut
    assertEquals("ab…", TextFit.cut(text, 6));
    String thumbs = "👍🏽"; // a thumb with a skin tone
    assertEquals("x…", TextFit.cut("x" + thumbs + "y", 3));
    String flags = "🇷🇺🇺🇸🇩🇪"; // three flags, six regional indicators
    assertEquals("🇷🇺…", TextFit.cut(flags, 4), "a flag is a pair");
    assertEquals("🇷🇺🇺🇸…", TextFit.cut(flags, 5));
    assertEquals("e\u0301…", TextFit.cut("e\u0301e\u0301", 3), "a combining accent stays with its letter");
  }

  @Test
  void loneSurrogatesAreMended() {
    assertEquals("a\uFFFDb", TextFit.mend("a\uD83Db"));
    assertEquals("\uFFFD", TextFit.mend("\uDE00"));
    assertSame(FACE, TextFit.mend(FACE));
    assertTrue(TextFit.hasLoneSurrogate("x\uD83D"));
  }
}
