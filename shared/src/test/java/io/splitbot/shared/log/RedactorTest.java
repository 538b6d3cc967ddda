package io.splitbot.shared.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the masking hides (tokens, URL passwords, bearer tokens, phone numbers) and what it must leave readable. */
class RedactorTest {

  @Test
  void secretsAreMasked() {
    assertEquals("POST /bot123456789:*** failed", Redactor.mask("POST /bot123456789:AAHsplitbotTestTokenSecretPart0042 failed"));
    assertEquals("redis://***@cache:6379", Redactor.mask("redis://:hunter2@cache:6379"));
    assertEquals("postgresql://***@db:5432/bot", Redactor.mask("postgresql://bot:pa55@db:5432/bot"));
    assertEquals("GET https://***@api.example.com/v1", Redactor.mask("GET https://sk_live_abc123@api.example.com/v1"));
    assertEquals("https://h/x?token=***&page=2&api_key=***", Redactor.mask("https://h/x?token=abc&page=2&api_key=k-1"));
    assertEquals("https://h/cb?client_secret=***#top", Redactor.mask("https://h/cb?client_secret=s3cr3t#top"));
    assertEquals("https://h/l?Password=*** next", Redactor.mask("https://h/l?Password=hunter2 next"));
    assertEquals("https://h/search?q=keys&page=1", Redactor.mask("https://h/search?q=keys&page=1"), "a value that only mentions a key stays");
    assertEquals("Authorization: Bearer ***", Redactor.mask("Authorization: Bearer abc.def-123"));
  }

  @Test
  void phoneNumbersAreMaskedToTheirLastTwoDigits() {
    List<String[]> cases = List.of(
        new String[] {"call +79991234567 now", "call ***67 now"},
        new String[] {"call +7 (999) 123-45-67 now", "call ***67 now"},
        new String[] {"uk +44 20 7946 0958.", "uk ***58."},
        new String[] {"тел. 8 (999) 123-45-67", "тел. ***67"},
        new String[] {"ring 999 123-45-67", "ring ***67"},
        new String[] {"us (555) 123-4567", "us ***67"},
        new String[] {"us 555-123-4567", "us ***67"},
        new String[] {"{\"phone_number\":\"79991234567\",\"first_name\":\"Anna\"}", "{\"phone_number\":\"***67\",\"first_name\":\"Anna\"}"},
        new String[] {"phone=89991234567", "phone=***67"},
        new String[] {"Телефон: 89991234567", "Телефон: ***67"});
    for (String[] c : cases) {
      assertEquals(c[1], Redactor.mask(c[0]), c[0]);
    }
  }

  @Test
  void idsTimesNumbersAndAddressesStayReadable() {
    for (String text : List.of(
        "update 123456789 (chat -1001234567890) handled",
        "2025-09-27 08:00:00.000 and 2025-09-27T08:00:00Z",
        "request 250927-001 created, 1 000 000.00 rub",
        "joined 127.0.0.1:5701 and 10.0.0.12",
        "retrying in 10000 ms, attempt 3/5",
        "offset 987654321012")) {
      assertEquals(text, Redactor.mask(text));
    }
    assertFalse(Redactor.mask("contact +7 999 123 45 67").contains("999"));
  }
}
