package io.splitbot.tests.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskKinds;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.worker.storage.ConflictException;
import io.splitbot.worker.storage.DuplicateKeyException;
import io.splitbot.worker.storage.NotFoundException;
import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.desk.storage.Comment;
import io.splitbot.worker.storage.model.KeyValueEntry;
import io.splitbot.desk.storage.DayCounter;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.desk.storage.StatusChange;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every backend must have. One subclass per backend provides a fresh, empty storage for each test.
 */
public abstract class StorageContractTest {
  protected static Vertx vertx;
  protected Storage storage;
  protected DeskStorage desk;

  /** A new, empty, not yet started storage. */
  protected abstract Storage createStorage() throws Exception;

  /** After each test, once the storage is closed. */
  protected void afterTest() throws Exception {
  }

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  @BeforeEach
  void open() throws Exception {
    storage = createStorage();
    desk = new DeskStorage(storage);
    await(storage.start());
  }

  @AfterEach
  void close() throws Exception {
    checkAfterTest();
    await(storage.close());
    afterTest();
  }

  /** A hook for subclasses to assert something about the storage after every test (dual: both sides agree). */
  protected void checkAfterTest() throws Exception {
  }

  // ------------------------------------------------------------------ helpers

  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  public static Throwable failure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
    throw new AssertionError("expected the operation to fail, it succeeded");
  }

  static final Instant T0 = Instant.parse("2025-09-27T08:00:00Z");

  /** Every record, read as migration reads them: a page of two at a time, each after the last key of the one before. */
  static <T> List<T> scanInPagesOfTwo(RecordStore<T> store) {
    List<T> all = new ArrayList<>();
    while (true) {
      List<T> page = await(store.scan(all.isEmpty() ? null : store.kind().key(all.get(all.size() - 1)), 2));
      if (page.isEmpty()) {
        return all;
      }
      all.addAll(page);
    }
  }

  static ServiceRequest request(String number, long requester, String title, int minutes) {
    return ServiceRequest.builder()
        .number(number)
        .requesterId(requester)
        .title(title)
        .description("Описание проблемы: течёт кран")
        .address("ул. Примерная, д. 1")
        .apartment("12")
        .category("plumbing")
        .priority("normal")
        .phone("+998901234567")
        .contactName("Иван Иванов")
        .createdAt(T0.plusSeconds(60L * minutes))
        .build();
  }

  // ------------------------------------------------------------------ users

  @Test
  void usersUpsertFindAndKeepCreatedAt() {
    UserProfile first = new UserProfile("telegram", 42, "Иван", "Иванов", "ivan", "ru", "webhook",
        Instant.parse("2025-09-01T10:00:00.123Z"), Instant.parse("2025-09-01T10:00:00.123Z"));
    assertEquals(first, await(storage.users().upsert(first)));
    assertEquals(first, await(storage.users().find("telegram", 42)).orElseThrow());

    UserProfile second = new UserProfile("telegram", 42, "Ivan", null, "ivan2", "en", "manual",
        Instant.parse("2025-09-02T11:00:00Z"), Instant.parse("2025-09-02T11:00:00Z"));
    UserProfile stored = await(storage.users().upsert(second));
    assertEquals(first.createdAt(), stored.createdAt(), "created_at is kept");
    assertEquals("Ivan", stored.firstName());
    assertNull(stored.lastName());
    assertEquals("manual", stored.profileSource());
    assertEquals(stored, await(storage.users().find("telegram", 42)).orElseThrow());
    assertTrue(await(storage.users().find("telegram", 43)).isEmpty());

    for (long id = 100; id < 105; id++) {
      await(storage.users().upsert(UserProfile.fromWebhook("telegram", id, "U" + id, null, null, "en")));
    }
    Page<UserProfile> p = await(storage.users().list("telegram", 1, 2));
    assertEquals(6, p.total());
    assertEquals(List.of(101L, 102L), p.items().stream().map(UserProfile::userId).toList());
  }

  @Test
  void usersOfTwoPlatformsWithTheSameIdAreTwoUsers() {
    UserProfile telegram = UserProfile.fromWebhook("telegram", 5, "Anna", "Telegram", "anna", "ru");
    UserProfile max = UserProfile.fromWebhook("max", 5, "Boris", "Max", null, "en");
    await(storage.users().upsert(telegram));
    await(storage.users().upsert(max));
    assertEquals("Anna", await(storage.users().find("telegram", 5)).orElseThrow().firstName());
    assertEquals("Boris", await(storage.users().find("max", 5)).orElseThrow().firstName());
    assertEquals(2L, await(storage.records(Kinds.USERS).count()), "two rows");

    await(storage.users().upsert(UserProfile.fromWebhook("max", 5, "Boris", "Changed", null, "en")));
    assertEquals("Telegram", await(storage.users().find("telegram", 5)).orElseThrow().lastName(),
        "a write to MAX user 5 leaves Telegram user 5 alone");
    assertEquals(List.of(5L), await(storage.users().list("max", 0, 10)).items().stream().map(UserProfile::userId).toList());
    assertEquals(List.of("Anna"), await(storage.users().list("telegram", 0, 10)).items().stream()
        .map(UserProfile::firstName).toList(), "a platform's listing holds its own users only");

    RecordStore<UserProfile> users = storage.records(Kinds.USERS);
    await(users.putAll(List.of(UserProfile.fromWebhook("telegram", 10, "Ten", null, null, null),
        UserProfile.fromWebhook("telegram", 9, "Nine", null, null, null)), true));
    assertEquals(List.of("max/5", "telegram/5", "telegram/9", "telegram/10"),
        scanInPagesOfTwo(users).stream().map(Kinds.USERS::key).toList(),
        "keys scan by platform, then numerically by id, on every backend");
    assertEquals(Set.of("max/5", "telegram/5"), await(users.getAll(List.of("max/5", "telegram/5", "max/6"))).keySet());
    assertEquals("telegram/42", Kinds.USERS.normaliseKey(" 42 "), "a bare id is Telegram's");
    assertEquals("max/42", Kinds.USERS.normaliseKey("max/042"));
  }

  // ------------------------------------------------------------------ requests

  @Test
  void requestRoundTripsFieldByFieldWithItsFirstHistoryEntry() {
    ServiceRequest r = request("250927-001", 123456789, "Заявка на ремонт", 0).toBuilder()
        .isEmergency(true)
        .priority("emergency")
        .estimatedCost(new BigDecimal("100000.50"))
        .preferredTime(Instant.parse("2025-09-28T10:00:00Z"))
        .build();
    await(desk.requests().create(r));
    ServiceRequest back = await(desk.requests().find("250927-001")).orElseThrow();
    assertEquals(r, back);
    assertEquals(0, new BigDecimal("100000.5").compareTo(back.estimatedCost()));
    assertEquals("Иван Иванов", back.contactName());
    assertTrue(back.isEmergency());
    assertEquals("new", back.status());
    assertNull(back.executorId());

    List<StatusChange> history = await(desk.history().statusHistory("250927-001"));
    assertEquals(1, history.size());
    assertNull(history.get(0).fromStatus());
    assertEquals("new", history.get(0).toStatus());
    assertEquals(123456789L, history.get(0).changedBy());
    assertTrue(await(desk.requests().find("250927-999")).isEmpty());
  }

  @Test
  void requestNumbersAreUnique() {
    await(desk.requests().create(request("250927-001", 1, "first", 0)));
    Throwable e = failure(desk.requests().create(request("250927-001", 2, "second", 1)));
    assertInstanceOf(DuplicateKeyException.class, e);
    assertEquals("first", await(desk.requests().find("250927-001")).orElseThrow().title());
    assertEquals(1, await(desk.history().statusHistory("250927-001")).size(), "no second history entry");
  }

  @Test
  void updateChangesEditableFieldsOnly() {
    ServiceRequest r = await(desk.requests().create(request("250927-002", 7, "old title", 0)));
    await(desk.requests().assign("250927-002", UserRef.telegram(99), 1));
    ServiceRequest edit = r.toBuilder().title("new title").description(null).apartment("34").category("electrical")
        .status("done").executorId(5L).requesterId(8).estimatedCost(new BigDecimal("12.30")).build();
    ServiceRequest updated = await(desk.requests().update(edit));
    assertEquals("new title", updated.title());
    assertNull(updated.description());
    assertEquals("34", updated.apartment());
    assertEquals("electrical", updated.category());
    assertEquals(new BigDecimal("12.3"), updated.estimatedCost());
    assertEquals("new", updated.status(), "status changes only through changeStatus");
    assertEquals(99L, updated.executorId(), "executor changes only through assign");
    assertEquals(7L, updated.requesterId());
    assertEquals(r.createdAt(), updated.createdAt());
    assertFalse(updated.updatedAt().isBefore(r.updatedAt()));
    assertEquals(updated, await(desk.requests().find("250927-002")).orElseThrow());
    assertInstanceOf(NotFoundException.class, failure(desk.requests().update(request("250927-404", 1, "x", 0))));
  }

  @Test
  void changeStatusIsACompareAndSetWithHistory() {
    await(desk.requests().create(request("250927-003", 7, "status", 0)));
    ServiceRequest moved = await(desk.requests().changeStatus("250927-003", "new", "in_progress", 99));
    assertEquals("in_progress", moved.status());
    assertInstanceOf(ConflictException.class, failure(desk.requests().changeStatus("250927-003", "new", "done", 99)));
    await(desk.requests().changeStatus("250927-003", "in_progress", "done", 98));
    assertInstanceOf(NotFoundException.class, failure(desk.requests().changeStatus("250927-404", "new", "done", 1)));
    assertInstanceOf(IllegalArgumentException.class, failure(desk.requests().changeStatus("250927-003", "in_progress", "archived", 1)));

    List<StatusChange> h = await(desk.history().statusHistory("250927-003"));
    assertEquals(List.of("new", "in_progress", "done"), h.stream().map(StatusChange::toStatus).toList());
    assertEquals(java.util.Arrays.asList(null, "new", "in_progress"), h.stream().map(StatusChange::fromStatus).toList());
    assertEquals(List.of(7L, 99L, 98L), h.stream().map(StatusChange::changedBy).toList());
    assertEquals("done", await(desk.requests().find("250927-003")).orElseThrow().status());
  }

  @Test
  void assignSetsTheExecutorAndKeepsEveryAssignment() {
    await(desk.requests().create(request("250927-004", 7, "assign", 0)));
    await(desk.requests().create(request("250927-005", 7, "other", 1)));
    await(desk.requests().assign("250927-004", UserRef.telegram(500), 1));
    ServiceRequest r = await(desk.requests().assign("250927-004", UserRef.telegram(501), 1));
    await(desk.requests().assign("250927-005", UserRef.telegram(501), 2));
    assertEquals(501L, r.executorId());
    assertEquals(List.of(500L, 501L), await(desk.history().assignments("250927-004")).stream()
        .map(a -> a.executorId()).toList());
    Page<ServiceRequest> mine = await(desk.requests().listByExecutor(UserRef.telegram(501), 0, 10));
    assertEquals(List.of("250927-005", "250927-004"), mine.items().stream().map(ServiceRequest::number).toList());
    assertEquals(0, await(desk.requests().listByExecutor(UserRef.telegram(500), 0, 10)).total());
    assertInstanceOf(NotFoundException.class, failure(desk.requests().assign("250927-404", UserRef.telegram(1), 1)));
  }

  @Test
  void theDesksPeopleArePerPlatform() {
    UserRef onMax = new UserRef("max", 7);
    await(desk.requests().create(request("250927-010", 7, "telegram's", 0)));
    ServiceRequest fromMax = await(desk.requests().create(request("250927-011", 7, "max's", 1).toBuilder().requester(onMax).build()));
    assertEquals(onMax, await(desk.requests().find("250927-011")).orElseThrow().requester());
    assertEquals(UserRef.telegram(7), await(desk.requests().find("250927-010")).orElseThrow().requester());
    assertEquals(List.of("250927-011"), numbers(await(desk.requests().listByRequester(onMax, 0, 10))));
    assertEquals(List.of("250927-010"), numbers(await(desk.requests().listByRequester(UserRef.telegram(7), 0, 10))),
        "Telegram user 7 and MAX user 7 are two requesters");

    await(desk.requests().assign("250927-010", new UserRef("max", 500), 1));
    await(desk.requests().assign("250927-011", UserRef.telegram(500), 1));
    assertEquals(new UserRef("max", 500), await(desk.requests().find("250927-010")).orElseThrow().executor());
    assertEquals(List.of("250927-010"), numbers(await(desk.requests().listByExecutor(new UserRef("max", 500), 0, 10))));
    assertEquals(List.of("250927-011"), numbers(await(desk.requests().listByExecutor(UserRef.telegram(500), 0, 10))));
    assertEquals("max", await(desk.requests().update(fromMax.toBuilder().title("edited").requester(UserRef.telegram(7)).build()))
        .requesterPlatform(), "an edit keeps the requester");

    await(desk.comments().add(new Comment("c-max", "250927-011", "max", 7, "from MAX", T0)));
    await(desk.comments().add(new Comment("c-tg", "250927-011", 7, "from Telegram", T0.plusSeconds(1))));
    assertEquals(List.of(onMax, UserRef.telegram(7)),
        await(desk.comments().list("250927-011")).stream().map(Comment::author).toList());
  }

  @Test
  void commentsAreAddedOnceAndListedOldestFirst() {
    await(desk.requests().create(request("250927-006", 7, "comments", 0)));
    Comment a = new Comment("c-1", "250927-006", 7, "Первый", T0.plusSeconds(10));
    Comment b = new Comment("c-2", "250927-006", 8, "second: O'Brien \\ test", T0.plusSeconds(20));
    await(desk.comments().add(b));
    await(desk.comments().add(a));
    await(desk.comments().add(a)); // a retry of the same comment
    assertEquals(List.of(a, b), await(desk.comments().list("250927-006")));
    assertEquals(List.of(), await(desk.comments().list("250927-404")));
    assertInstanceOf(NotFoundException.class, failure(desk.comments().add(Comment.create("250927-404", 1, "x"))));
  }

  /** 23 requests over two requesters, statuses and texts to search. */
  private void seedForSearch() {
    for (int i = 1; i <= 20; i++) {
      ServiceRequest r = request(String.format("250926-%03d", i), i % 2 == 0 ? 10 : 11, "Ремонт крана " + i, i);
      await(desk.requests().create(r));
    }
    await(desk.requests().create(request("250927-001", 12, "Broken SOCKET in kitchen", 100).toBuilder()
        .category("electrical").address("Baker Street 221b").contactName("O'Brien \\ test").build()));
    await(desk.requests().create(request("250927-002", 12, "100% _done_ sale", 101).toBuilder()
        .description("nothing special").build()));
    await(desk.requests().create(request("250927-003", 12, "Отопление", 102).toBuilder()
        .description("Батарея холодная").category("heating").build()));
    await(desk.requests().changeStatus("250927-003", "new", "in_progress", 1));
  }

  @Test
  void searchIsCaseInsensitiveOverTheTextFieldsNewestFirst() {
    seedForSearch();
    assertEquals(List.of("250927-001"), numbers(await(desk.requests().search("socket", null, 0, 10))));
    assertEquals(List.of("250927-001"), numbers(await(desk.requests().search("BAKER street", null, 0, 10))));
    assertEquals(List.of("250927-001"), numbers(await(desk.requests().search("o'brien \\ TEST", null, 0, 10))));
    assertEquals(List.of("250927-003"), numbers(await(desk.requests().search("БАТАРЕЯ", null, 0, 10))));
    assertEquals(List.of("250927-002"), numbers(await(desk.requests().search("100%", null, 0, 10))));
    assertEquals(List.of("250927-002"), numbers(await(desk.requests().search("_done_", null, 0, 10))));
    assertEquals(List.of(), numbers(await(desk.requests().search("%", "done", 0, 10))));
    assertEquals(List.of("250926-019", "250926-018", "250926-017"),
        numbers(await(desk.requests().search("250926-01", null, 0, 3))));
    assertEquals(List.of("250927-003"), numbers(await(desk.requests().search(null, "in_progress", 0, 10))));
    assertEquals(List.of("250927-003"), numbers(await(desk.requests().search("отопл", "in_progress", 0, 10))));
    assertEquals(0, await(desk.requests().search("отопл", "new", 0, 10)).total());
    // "Примерная" is the street of every request but 250927-001; 250927-003 is in progress
    Page<ServiceRequest> p = await(desk.requests().search("примерная", "new", 1, 5));
    assertEquals(21, p.total());
    assertEquals(5, p.items().size());
    assertTrue(p.hasNext());
    assertEquals(List.of("250926-016", "250926-015", "250926-014", "250926-013", "250926-012"), numbers(p));
  }

  @Test
  void paginationCoversEveryRecordOnceNewestFirst() {
    seedForSearch();
    List<String> seen = new ArrayList<>();
    Page<ServiceRequest> p;
    int page = 0;
    do {
      p = await(desk.requests().search("", null, page++, 7));
      assertEquals(23, p.total());
      seen.addAll(numbers(p));
    } while (p.hasNext());
    assertEquals(4, page);
    assertEquals(23, seen.size());
    assertEquals(23, new HashSet<>(seen).size());
    assertEquals("250927-003", seen.get(0));
    assertEquals("250926-001", seen.get(22));
    assertEquals(List.of(), await(desk.requests().search(null, null, 9, 7)).items());
    assertInstanceOf(IllegalArgumentException.class, failure(desk.requests().search(null, null, -1, 7)));
    assertInstanceOf(IllegalArgumentException.class, failure(desk.requests().listByRequester(UserRef.telegram(10), 0, 0)));

    Page<ServiceRequest> mine = await(desk.requests().listByRequester(UserRef.telegram(10), 0, 4));
    assertEquals(10, mine.total());
    assertEquals(List.of("250926-020", "250926-018", "250926-016", "250926-014"), numbers(mine));
    assertEquals(List.of("250926-004", "250926-002"), numbers(await(desk.requests().listByRequester(UserRef.telegram(10), 2, 4))));
  }

  private static List<String> numbers(Page<ServiceRequest> p) {
    return p.items().stream().map(ServiceRequest::number).toList();
  }

  // ------------------------------------------------------------------ concurrency

  @Test
  void concurrentWritersNeitherLoseNorDuplicate() {
    List<Future<ServiceRequest>> distinct = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      distinct.add(desk.requests().create(request(String.format("250928-%03d", i), 1, "c" + i, i)));
    }
    List<Future<ServiceRequest>> same = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      same.add(desk.requests().create(request("250928-500", 100 + i, "racer " + i, 0)));
    }
    List<Future<Long>> counters = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      counters.add(desk.counters().nextCounter("250928"));
    }
    await(Future.join(new ArrayList<Future<?>>(distinct)).otherwiseEmpty());
    await(Future.join(new ArrayList<Future<?>>(same)).otherwiseEmpty());
    await(Future.join(new ArrayList<Future<?>>(counters)).otherwiseEmpty());

    distinct.forEach(f -> assertTrue(f.succeeded(), () -> "create failed: " + f.cause()));
    long won = same.stream().filter(Future::succeeded).count();
    assertEquals(1, won, "exactly one writer gets the number");
    same.stream().filter(Future::failed).forEach(f -> assertInstanceOf(DuplicateKeyException.class, f.cause()));
    Set<Long> values = new HashSet<>();
    counters.forEach(f -> values.add(f.result()));
    assertEquals(30, values.size());
    assertEquals(Set.copyOf(java.util.stream.LongStream.rangeClosed(1, 30).boxed().toList()), values);
    assertEquals(21, await(desk.requests().search(null, null, 0, 50)).total());
    assertEquals(21, await(storage.records(DeskKinds.STATUS_HISTORY).count()));

    // racing status changes from the same state: one wins, the rest conflict
    List<Future<ServiceRequest>> moves = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      moves.add(desk.requests().changeStatus("250928-001", "new", i % 2 == 0 ? "in_progress" : "cancelled", i));
    }
    await(Future.join(new ArrayList<Future<?>>(moves)).otherwiseEmpty());
    assertEquals(1, moves.stream().filter(Future::succeeded).count());
    moves.stream().filter(Future::failed).forEach(f -> assertInstanceOf(ConflictException.class, f.cause()));
    assertEquals(2, await(desk.history().statusHistory("250928-001")).size());
  }

  // ------------------------------------------------------------------ key-value entries, counters

  @Test
  void aKeyValueEntryRoundTripsExactly() {
    JsonObject data = new JsonObject()
        .put("title", "Кран \"течёт\" \\ 'сильно'")
        .put("n", 5)
        .put("cost", 100000.5)
        .put("big", 12345678901234L)
        .put("flag", false)
        .put("none", (Object) null)
        .put("nested", new JsonObject().put("list", new JsonArray().add(1).add("two").add(new JsonObject())))
        .put("emoji", "🔧 ok");
    String key = KeyValueEntry.recordKey("desk-reservations", "-1001234567890:42");
    KeyValueEntry saved = new KeyValueEntry("desk-reservations", "-1001234567890:42", data, null);
    await(storage.records(Kinds.KEY_VALUE).put(saved));
    KeyValueEntry back = await(storage.records(Kinds.KEY_VALUE).get(key));
    assertEquals(saved, back, "every field, the time to the millisecond");
    assertEquals(data, back.value());
    assertEquals(data, await(storage.keyValue("desk-reservations").get("-1001234567890:42")));

    JsonObject odd = new JsonObject("{ \"b\" : 1.50,\n  \"a\": [ ] }");
    await(storage.keyValue("desk-reservations").put("-1001234567890:42", odd));
    assertEquals(odd, await(storage.keyValue("desk-reservations").get("-1001234567890:42")));

    assertTrue(await(storage.keyValue("desk-reservations").delete("-1001234567890:42")));
    assertFalse(await(storage.keyValue("desk-reservations").delete("-1001234567890:42")));
    assertNull(await(storage.records(Kinds.KEY_VALUE).get(key)));
  }

  @Test
  void countersAreAtomicPerDayAndOnlyGrow() {
    assertEquals(0L, await(desk.counters().current("250927")));
    assertEquals(1L, await(desk.counters().nextCounter("250927")));
    assertEquals(2L, await(desk.counters().nextCounter("250927")));
    assertEquals(1L, await(desk.counters().nextCounter("250928")));
    await(desk.counters().raiseTo("250927", 40));
    await(desk.counters().raiseTo("250927", 10));
    assertEquals(40L, await(desk.counters().current("250927")));
    assertEquals(41L, await(desk.counters().nextCounter("250927")));
  }

  // ------------------------------------------------------------------ raw records (migration's view)

  @Test
  void recordStoreScansInKeyOrderAndNeverOverwritesNewerUnlessForced() {
    RecordStore<UserProfile> users = storage.records(Kinds.USERS);
    List<UserProfile> batch = new ArrayList<>();
    for (long id : new long[] {5, 100, 9, 42, 7}) {
      batch.add(new UserProfile("telegram", id, "n" + id, null, null, null, "manual", T0, T0));
    }
    await(users.putAll(batch, false));
    assertEquals(5L, await(users.count()));
    assertEquals(List.of(5L, 7L, 9L, 42L, 100L), scanInPagesOfTwo(users).stream().map(UserProfile::userId).toList(),
        "numeric keys scan numerically");

    UserProfile newer = new UserProfile("telegram", 9, "newer", null, null, null, "manual", T0.plusSeconds(60), T0);
    UserProfile older = new UserProfile("telegram", 9, "older", null, null, null, "manual", T0.minusSeconds(60), T0);
    await(users.putAll(List.of(newer), false));
    await(users.putAll(List.of(older), false));
    assertEquals("newer", await(users.getAll(List.of("telegram/9"))).get("telegram/9").firstName(), "an older copy never wins");
    await(users.putAll(List.of(older), true));
    assertEquals("older", await(users.getAll(List.of("telegram/9"))).get("telegram/9").firstName(), "unless forced");

    Map<String, UserProfile> some = await(users.getAll(List.of("telegram/5", "telegram/6", "telegram/100")));
    assertEquals(Set.of("telegram/5", "telegram/100"), some.keySet());
    await(users.deleteAll(List.of("telegram/5", "telegram/6")));
    assertEquals(4L, await(users.count()));

    RecordStore<DayCounter> counters = storage.records(DeskKinds.COUNTERS);
    await(counters.putAll(List.of(new DayCounter("250101", 7)), false));
    await(counters.putAll(List.of(new DayCounter("250101", 3)), false));
    assertEquals(7L, await(counters.getAll(List.of("250101"))).get("250101").value(), "counters only grow");

    RecordStore<ServiceRequest> requests = storage.records(DeskKinds.REQUESTS);
    await(requests.putAll(List.of(request("250101-002", 1, "b", 2), request("250101-001", 1, "a", 1),
        request("241231-999", 1, "z", 0)), false));
    List<ServiceRequest> scanned = await(requests.scan("241231-999", 10));
    assertEquals(List.of("250101-001", "250101-002"), scanned.stream().map(ServiceRequest::number).toList());
    assertNotNull(await(desk.requests().find("250101-001")).orElse(null));
  }
}
