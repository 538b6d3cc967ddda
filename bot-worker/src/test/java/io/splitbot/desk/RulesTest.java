package io.splitbot.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The desk's rules on their own: the life cycle, roles, field checks and its settings. */
class RulesTest {

  @Test
  void theLifeCycleAllowsOnlyItsTransitions() {
    assertEquals(List.of("in_progress", "cancelled"), StatusFlow.next("new"));
    assertEquals(List.of("done", "cancelled"), StatusFlow.next("in_progress"));
    assertTrue(StatusFlow.next("done").isEmpty());
    assertTrue(StatusFlow.next("cancelled").isEmpty());
    for (String from : ServiceRequest.STATUSES) {
      for (String to : ServiceRequest.STATUSES) {
        boolean allowed = Set.of("new>in_progress", "new>cancelled", "in_progress>done", "in_progress>cancelled").contains(from + ">" + to);
        assertEquals(allowed, StatusFlow.allowed(from, to), from + " -> " + to);
      }
    }
  }

  @Test
  void theDesksCallbackDataStayWithinTelegrams64BytesAtTheirLongest() {
    // the longest request number a long counter gives, the longest codes, the widest ids and pages
    String number = "999999-" + Long.MAX_VALUE;
    assertTrue(ServiceRequest.NUMBER.matcher(number).matches());
    String widestStatus = ServiceRequest.STATUSES.stream().max(java.util.Comparator.comparingInt(String::length)).orElseThrow();
    String widestCode = java.util.stream.Stream.concat(ServiceRequest.CATEGORIES.stream(), ServiceRequest.PRIORITIES.stream())
        .max(java.util.Comparator.comparingInt(String::length)).orElseThrow();
    String widestField = RequestFields.CONVERSATION_ORDER.stream().max(java.util.Comparator.comparingInt(String::length)).orElseThrow();
    List<String> shapes = List.of(
        "st:" + number + ":" + widestStatus + ":" + widestStatus,   // a card's status button (RequestCards)
        "an:" + number, "rq:" + number,                             // Assign, a list's request button
        "cp:" + number + ":" + Integer.MAX_VALUE,                   // a card's page (RequestCards)
        "as:" + number + ":" + Integer.MAX_VALUE,                   // the picker's page (RequestActions)
        "ax:" + number + ":" + Long.MIN_VALUE,                      // a picked user (RequestActions)
        "my:a:" + Integer.MAX_VALUE, "fd:" + Integer.MAX_VALUE,     // list pages (RequestViews)
        "new:ok:" + Integer.MAX_VALUE, "new:f:" + widestField,      // the conversation (NewRequestConversation)
        "new:cat:" + widestCode, "new:pri:" + widestCode);
    for (String data : shapes) {
      int bytes = data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      assertTrue(bytes <= io.splitbot.desk.bot.Keyboards.MAX_CALLBACK_BYTES, data + " is " + bytes + " bytes");
      io.splitbot.desk.bot.Keyboards.button("x", data);
    }
  }

  @Test
  void rolesComeFromTheRequestAndTheAdminList() {
    DeskConfig config = DeskConfig.fromEnv(Map.of("ADMIN_USER_IDS", "900, 901"));
    ServiceRequest r = ServiceRequest.builder().number("250927-001").requesterId(1).title("Tap").executorId(2L).build();
    Actor requester = Actor.user(1, config);
    Actor executor = Actor.user(2, config);
    Actor admin = Actor.user(901, config);
    Actor stranger = Actor.user(3, config);
    assertTrue(Roles.canView(r, requester) && Roles.canView(r, executor) && Roles.canView(r, admin));
    assertFalse(Roles.canView(r, stranger));
    assertFalse(Roles.canChangeStatus(r, requester), "the requester alone does not move the request");
    assertTrue(Roles.canChangeStatus(r, executor) && Roles.canChangeStatus(r, admin));
    assertFalse(Roles.canChangeStatus(r, stranger));
    assertTrue(Roles.canAssign(admin) && Roles.canAssign(Actor.system(0)));
    assertFalse(Roles.canAssign(executor));

    // ids are per platform: MAX users 1 and 2 are neither the requester nor the executor, nor is MAX user 901 an admin
    for (long id : new long[] {1, 2, 901}) {
      Actor onMax = Actor.user(new UserRef("max", id), config);
      assertFalse(Roles.canView(r, onMax) || Roles.canChangeStatus(r, onMax) || Roles.canAssign(onMax), "max:" + id);
    }
    ServiceRequest fromMax = r.toBuilder().requester(new UserRef("max", 1)).executor(new UserRef("max", 2)).build();
    assertTrue(Roles.isRequester(fromMax, Actor.user(new UserRef("max", 1), config)));
    assertTrue(Roles.canChangeStatus(fromMax, Actor.user(new UserRef("max", 2), config)));
    assertFalse(Roles.canView(fromMax, requester));
  }

  @Test
  void fieldsAreCheckedWithAReason() {
    assertEquals("+998901234567", RequestFields.phone("+998 (90) 123-45-67").value());
    assertEquals("89001234567", RequestFields.phone("8 900 123 45 67").value());
    assertEquals("+998901234567", RequestFields.sharedPhone("998901234567").value());
    for (String bad : List.of("12345", "+12 34", "phone", "+1234567890123456", "", "++998901234567")) {
      assertEquals("error.phone", RequestFields.phone(bad).error().reason(), bad);
    }
    assertEquals("12A", RequestFields.text("apartment", " 12A ").value());
    assertEquals("12/3", RequestFields.text("apartment", "12/3").value());
    assertFalse(RequestFields.text("apartment", "#12").ok());
    assertFalse(RequestFields.text("apartment", "12345678901").ok());
    assertFalse(RequestFields.text("title", "ab").ok());
    assertTrue(RequestFields.text("title", "abc").ok());
    assertFalse(RequestFields.text("title", "x".repeat(101)).ok());
    assertEquals("error.description", RequestFields.text("description", "  ").error().reason());
    assertFalse(RequestFields.comment("").ok());
  }

  @Test
  void numbersIdsDatesAndCharactersHaveBoundsAndNoSurprises() {
    assertEquals(new BigDecimal("1000000000.00"), RequestFields.cost("1000000000.00").orElseThrow());
    assertEquals(new BigDecimal("10.5"), RequestFields.cost(new BigDecimal("10.500")).orElseThrow(), "trailing zeros do not count");
    assertEquals(new BigDecimal("1000"), RequestFields.cost(new BigDecimal("1E+3")).orElseThrow(), "no exponent in what is stored");
    for (String bad : List.of("1e-25000000", "1e3", "-1", "1000000000.01", "12.345", " ", "0x10", "1,5", "１２")) {
      assertTrue(RequestFields.cost(bad).isEmpty(), bad);
    }
    assertEquals(9007199254740991L, RequestFields.id("9007199254740991").orElseThrow());
    assertEquals(9007199254740991L, RequestFields.id(BigInteger.TWO.pow(53).subtract(BigInteger.ONE)).orElseThrow());
    assertTrue(RequestFields.id(new BigInteger("18446744073709551617")).isEmpty(), "never wrapped to 1");
    for (String bad : List.of("9007199254740992", "0", "-5", "+5", "5a", "", "１２３")) {
      assertTrue(RequestFields.id(bad).isEmpty(), bad);
    }
    ZoneId utc = ZoneId.of("UTC");
    assertEquals(Instant.parse("0001-01-01T00:00:00Z"), RequestFields.dateTime("0001-01-01T00:00:00", utc).orElseThrow());
    assertEquals(Instant.parse("2025-09-28T07:00:00Z"), RequestFields.dateTime("2025-09-28T10:00:00+03:00", utc).orElseThrow());
    assertEquals(Instant.parse("2025-09-28T07:00:00Z"), RequestFields.dateTime("2025-09-28T10:00:00", ZoneId.of("Europe/Moscow")).orElseThrow());
    for (String bad : List.of("0000-01-01T00:00:00", "-0001-01-01T00:00:00", "+10000-01-01T00:00:00", "9999-12-31T23:00:00-05:00",
        "0001-01-01T02:00:00+03:00", "2025-02-30T10:00:00", "2025-09-28", "tomorrow")) {
      assertTrue(RequestFields.dateTime(bad, utc).isEmpty(), bad);
    }
    assertEquals("error.single_line", RequestFields.text("title", "two\nlines").error().reason());
    assertEquals("error.single_line", RequestFields.text("address", "Main\u0000street 5").error().reason());
    assertEquals("error.characters", RequestFields.text("description", "nul \u0000 inside").error().reason());
    assertEquals("error.characters", RequestFields.comment("half an emoji \ud83d").error().reason());
    assertTrue(RequestFields.text("description", "line one\nline two\twith a tab \ud83d\ude00").ok());
    assertTrue(RequestFields.comment("multi\r\nline").ok());
  }

  @Test
  void settingsHaveDefaultsAndBadValuesNameTheirVariable() {
    DeskConfig d = DeskConfig.defaults();
    assertEquals(Set.of(), d.admins());
    assertEquals("en", d.defaultLanguage());
    assertEquals(ZoneId.of("UTC"), d.timeZone());
    assertNull(d.internalApiToken());
    assertFalse(d.apiEnabled());

    DeskConfig set = DeskConfig.fromEnv(Map.of("ADMIN_USER_IDS", "1,2", "BOT_DEFAULT_LANGUAGE", "RU", "BOT_TIME_ZONE", "Asia/Tashkent",
        "INTERNAL_API_TOKEN", "0123456789abcdef0123"));
    assertEquals(Set.of(UserRef.telegram(1), UserRef.telegram(2)), set.admins());
    DeskConfig both = DeskConfig.fromEnv(Map.of("ADMIN_USER_IDS", "5, max:5, MAX:77, telegram:8"));
    assertEquals(Set.of(UserRef.telegram(5), new UserRef("max", 5), new UserRef("max", 77), UserRef.telegram(8)), both.admins());
    assertTrue(both.isAdmin("max", 77) && !both.isAdmin("telegram", 77), "MAX user 77 is an admin, Telegram user 77 is not");
    assertEquals("ru", set.defaultLanguage());
    assertEquals(ZoneId.of("Asia/Tashkent"), set.timeZone());
    assertTrue(set.apiEnabled());
    assertFalse(set.toString().contains("0123456789abcdef0123"), "the token is never printed");

    assertTrue(error("ADMIN_USER_IDS", "12,abc").startsWith("ADMIN_USER_IDS must be"));
    assertTrue(error("ADMIN_USER_IDS", "-5").startsWith("ADMIN_USER_IDS must be"));
    for (String bad : List.of("max:", "max:abc", "max:-1", "icq:5", ":5")) {
      String message = error("ADMIN_USER_IDS", "1," + bad);
      assertTrue(message.contains("max:<id>") && message.endsWith("got '" + bad + "'"), message);
    }
    assertTrue(error("BOT_DEFAULT_LANGUAGE", "de").startsWith("BOT_DEFAULT_LANGUAGE must be one of en, ru"));
    assertTrue(error("BOT_TIME_ZONE", "Mars/Olympus").startsWith("BOT_TIME_ZONE must be"));
    String token = error("INTERNAL_API_TOKEN", "short secret");
    assertTrue(token.startsWith("INTERNAL_API_TOKEN must be at least 16"), token);
    assertFalse(token.contains("short secret"), "the value is not echoed");
  }

  @Test
  void theDatabaseFallbackOfRequestNumbersIsOnInBlocksOfTenUnlessSetOtherwise() {
    DeskConfig d = DeskConfig.defaults();
    assertTrue(d.dbFallback(), "the seed's default: ENABLE_DB_FALLBACK=true");
    assertEquals(10, d.dbFallbackBatchSize(), "the seed's DB_FALLBACK_BATCH_SIZE=10");
    DeskConfig set = DeskConfig.fromEnv(Map.of("ENABLE_DB_FALLBACK", "false", "DB_FALLBACK_BATCH_SIZE", "10000"));
    assertFalse(set.dbFallback());
    assertEquals(10_000, set.dbFallbackBatchSize());
    assertEquals(1, DeskConfig.fromEnv(Map.of("DB_FALLBACK_BATCH_SIZE", " 1 ")).dbFallbackBatchSize());

    assertEquals("DB_FALLBACK_BATCH_SIZE must be between 1 and 10000, got 0", error("DB_FALLBACK_BATCH_SIZE", "0"));
    assertEquals("DB_FALLBACK_BATCH_SIZE must be between 1 and 10000, got 10001", error("DB_FALLBACK_BATCH_SIZE", "10001"));
    assertEquals("DB_FALLBACK_BATCH_SIZE must be a whole number, got 'ten'", error("DB_FALLBACK_BATCH_SIZE", "ten"));
    assertEquals("ENABLE_DB_FALLBACK must be true or false, got 'sometimes'", error("ENABLE_DB_FALLBACK", "sometimes"));

    // without Redis the database is the only source of numbers, which ENABLE_DB_FALLBACK=false forbids
    String noSource = assertThrows(ConfigException.class, () -> Desk.of(set, null, null, null)).getMessage();
    assertTrue(noSource.startsWith("ENABLE_DB_FALLBACK=false needs REDIS_URL"), noSource);
    assertFalse(noSource.contains("\n"), "one line");
  }

  private static String error(String name, String value) {
    return assertThrows(ConfigException.class, () -> DeskConfig.fromEnv(Map.of(name, value))).getMessage();
  }
}
