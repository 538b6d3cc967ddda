package io.splitbot.worker.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splitbot.worker.storage.airtable.Formula;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormulaTest {
  @Test
  void backslashIsEscapedBeforeTheQuoteThenTheWholeIsQuoted() {
    assertEquals("'O\\'Brien \\\\ test'", Formula.str("O'Brien \\ test"));
    assertEquals("'\\\\\\''", Formula.str("\\'"), "a backslash then a quote: both escaped, in that order");
    assertEquals("''", Formula.str(""));
    assertEquals("'Иван'", Formula.str("Иван"));
  }

  @Test
  void fieldsAreBracedAndTermsCombined() {
    assertEquals("{contact_name}='x'", Formula.eq("contact_name", "x"));
    assertEquals("{user_id}=42", Formula.eq("user_id", 42));
    assertEquals("{user_id}=7", Formula.keyEq("user_id", true, "7"));
    assertEquals("OR({a}='1',{a}='2')", Formula.or(List.of(Formula.eq("a", "1"), Formula.eq("a", "2"))));
    assertEquals("{a}='1'", Formula.and(List.of(Formula.eq("a", "1"))));
    assertEquals("OR(FIND('o\\'b',LOWER({title}&''))>0,FIND('o\\'b',LOWER({address}&''))>0)",
        Formula.containsAny("o'b", List.of("title", "address")));
    assertThrows(IllegalArgumentException.class, () -> Formula.field("a}b"));
  }

  @Test
  void aUsersKeyComparesItsPlatformAsTextAndItsIdAsANumberAndTelegramAlsoMatchesAnEmptyPlatform() {
    assertEquals("AND(OR({platform}='telegram',{platform}=''),{user_id}=5)",
        Formula.keyEq(io.splitbot.worker.storage.model.Kinds.USERS, "telegram/5"),
        "a record from before platforms has none, and is Telegram's");
    assertEquals("AND({platform}='max',{user_id}=5)", Formula.keyEq(io.splitbot.worker.storage.model.Kinds.USERS, "max/5"));
  }
}
