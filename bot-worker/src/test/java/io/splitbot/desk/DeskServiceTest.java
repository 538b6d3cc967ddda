package io.splitbot.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.desk.numbering.RequestNumberAllocator;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.worker.storage.model.Values;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeskService on the JSON store: numbering, the unique number as the last guard, repeatable writes. */
class DeskServiceTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-09-27T22:30:00Z"), ZoneOffset.UTC);
  private Vertx vertx;
  private Storage storage;
  private DeskService service;
  private RequestNumberAllocator numbers;

  @BeforeEach
  void open(@TempDir Path dir) {
    vertx = Vertx.vertx();
    storage = new JsonStorage(vertx, dir, false);
    storage.start().await();
    numbers = new RequestNumberAllocator(new DeskStorage(storage).counters(), null, ZoneId.of("UTC"), CLOCK, true, 10);
    service = new DeskService(storage, numbers);
  }

  @AfterEach
  void close() {
    storage.close().await();
    vertx.close().await();
  }

  static RequestDraft draft(String title) {
    return new RequestDraft(title, "Something is broken here", "1 Main St", "2", "plumbing", "normal", "+998901234567",
        "Ivan", false, null, null);
  }

  @Test
  void numbersCountPerDayInTheConfiguredZone() {
    assertEquals("250927-001", numbers.next().await());
    assertEquals("250927-002", numbers.next().await());
    RequestNumberAllocator tashkent = new RequestNumberAllocator(new DeskStorage(storage).counters(), null, ZoneId.of("Asia/Tashkent"), CLOCK, true, 10);
    assertEquals("250928-001", tashkent.next().await(), "22:30 UTC is already the 28th in UTC+5");
    new DeskStorage(storage).counters().raiseTo("250929", 999).await();
    RequestNumberAllocator later = new RequestNumberAllocator(new DeskStorage(storage).counters(), null, ZoneId.of("UTC"),
        Clock.fixed(Instant.parse("2025-09-29T10:00:00Z"), ZoneOffset.UTC), true, 10);
    assertEquals("250929-1000", later.next().await(), "past 999 the number grows a digit");
  }

  @Test
  void aNumberTakenByAnotherRequestMovesTheCreateToTheNextOne() {
    // someone else holds 250927-001 already (the counter did not know: e.g. a record copied in by hand)
    new DeskStorage(storage).requests().create(ServiceRequest.builder().number("250927-001").requesterId(99).title("Other").build()).await();
    ServiceRequest mine = service.create(draft("Mine"), UserRef.telegram(7), service.transientReservation()).await();
    assertEquals("250927-002", mine.number());
    assertEquals(2, new DeskStorage(storage).requests().search(null, null, 0, 10).await().total());
  }

  @Test
  void creatingAgainUnderTheSameReservationFindsTheFirstRequest() {
    Instant at = Values.now();
    DeskService.Reservation fixed = new DeskService.Reservation() {
      @Override
      public Future<DeskService.Reserved> current() {
        return Future.succeededFuture(new DeskService.Reserved("250927-005", at));
      }

      @Override
      public Future<DeskService.Reserved> renew() {
        throw new AssertionError("a repeat must not take another number");
      }
    };
    ServiceRequest first = service.create(draft("Tap"), UserRef.telegram(7), fixed).await();
    ServiceRequest again = service.create(draft("Tap"), UserRef.telegram(7), fixed).await();
    assertEquals(first, again);
    assertEquals(1, new DeskStorage(storage).requests().search(null, null, 0, 10).await().total());
  }

  @Test
  void statusChangesFollowTheLifeCycleAndRolesAndRepeatSafely() {
    ServiceRequest r = service.create(draft("Tap"), UserRef.telegram(7), service.transientReservation()).await();
    DeskConfig config = DeskConfig.fromEnv(java.util.Map.of("ADMIN_USER_IDS", "900"));
    Actor requester = Actor.user(7, config);
    Actor admin = Actor.user(900, config);
    DeskException forbidden = assertInstanceOf(DeskException.class, failure(service.changeStatus(r.number(), "new", "in_progress", requester, false)));
    assertEquals(DeskException.Kind.FORBIDDEN, forbidden.kind());
    DeskException illegal = assertInstanceOf(DeskException.class, failure(service.changeStatus(r.number(), null, "done", admin, false)));
    assertEquals(DeskException.Kind.ILLEGAL_TRANSITION, illegal.kind());

    DeskService.StatusResult moved = service.changeStatus(r.number(), "new", "in_progress", admin, false).await();
    assertTrue(moved.changed());
    DeskException stale = assertInstanceOf(DeskException.class, failure(service.changeStatus(r.number(), "new", "in_progress", admin, false)));
    assertEquals(DeskException.Kind.STALE, stale.kind());
    DeskService.StatusResult resumed = service.changeStatus(r.number(), "new", "in_progress", admin, true).await();
    assertTrue(resumed.changed(), "a crashed run finishing its own change reports it done");
    assertFalse(service.changeStatus(r.number(), null, "in_progress", admin, false).await().changed());
    assertEquals(2, service.history(r.number()).await().size(), "no entry was written twice");

    assertEquals(DeskException.Kind.NOT_FOUND,
        assertInstanceOf(DeskException.class, failure(service.changeStatus("250927-777", null, "done", admin, false))).kind());
  }

  @Test
  void commentsAndAssignmentsRepeatWithoutDuplicates() {
    ServiceRequest r = service.create(draft("Tap"), UserRef.telegram(7), service.transientReservation()).await();
    Actor admin = Actor.system(900);
    service.comment(r.number(), Actor.user(7, DeskConfig.defaults()), "When?", "c-1").await();
    service.comment(r.number(), Actor.user(7, DeskConfig.defaults()), "When?", "c-1").await();
    assertEquals(1, service.comments(r.number()).await().size());
    assertEquals(DeskException.Kind.FORBIDDEN, assertInstanceOf(DeskException.class,
        failure(service.comment(r.number(), Actor.user(8, DeskConfig.defaults()), "Hi", "c-2"))).kind());

    assertTrue(service.assign(r.number(), UserRef.telegram(555), admin, false).await().changed());
    assertFalse(service.assign(r.number(), UserRef.telegram(555), admin, false).await().changed());
    assertTrue(service.assign(r.number(), UserRef.telegram(555), admin, true).await().changed(), "resuming its own assignment");
    assertEquals(1, service.assignments(r.number()).await().size());
    assertEquals(DeskException.Kind.FORBIDDEN, assertInstanceOf(DeskException.class,
        failure(service.assign(r.number(), UserRef.telegram(556), Actor.user(555, DeskConfig.defaults()), false))).kind());
  }

  @Test
  void theSameIdOnAnotherPlatformIsSomeoneElse() {
    UserRef onMax = new UserRef("max", 7);
    ServiceRequest telegrams = service.create(draft("Tap"), UserRef.telegram(7), service.transientReservation()).await();
    ServiceRequest maxs = service.create(draft("Door"), onMax, service.transientReservation()).await();
    assertEquals("max", maxs.requesterPlatform());
    assertEquals(onMax, new DeskStorage(storage).requests().find(maxs.number()).await().orElseThrow().requester());
    assertEquals(List.of(maxs.number()), service.filedBy(onMax, 0, 10).await().items().stream().map(ServiceRequest::number).toList());
    assertEquals(List.of(telegrams.number()),
        service.filedBy(UserRef.telegram(7), 0, 10).await().items().stream().map(ServiceRequest::number).toList());

    DeskConfig config = DeskConfig.fromEnv(java.util.Map.of("ADMIN_USER_IDS", "max:900"));
    Actor maxUser = Actor.user(onMax, config);
    assertEquals(DeskException.Kind.FORBIDDEN, assertInstanceOf(DeskException.class,
        failure(service.view(telegrams.number(), maxUser))).kind(), "MAX user 7 is not Telegram user 7");
    service.comment(maxs.number(), maxUser, "Ring twice", "c-max").await();
    assertEquals(onMax, service.comments(maxs.number()).await().get(0).author());

    Actor maxAdmin = Actor.user(new UserRef("max", 900), config);
    assertTrue(maxAdmin.admin());
    assertFalse(Actor.user(900, config).admin(), "Telegram user 900 is no admin: max:900 is");
    assertTrue(service.assign(telegrams.number(), new UserRef("max", 555), maxAdmin, false).await().changed());
    ServiceRequest assigned = service.get(telegrams.number()).await();
    assertEquals(new UserRef("max", 555), assigned.executor());
    assertEquals(1, service.assignedTo(new UserRef("max", 555), 0, 10).await().total());
    assertEquals(0, service.assignedTo(UserRef.telegram(555), 0, 10).await().total());
    assertTrue(service.changeStatus(telegrams.number(), "new", "in_progress", Actor.user(new UserRef("max", 555), config), false)
        .await().changed(), "the MAX executor moves it");
    assertEquals(DeskException.Kind.FORBIDDEN, assertInstanceOf(DeskException.class, failure(service.changeStatus(
        telegrams.number(), "in_progress", "done", Actor.user(555, config), false))).kind(), "Telegram user 555 does not");
  }

  static Throwable failure(Future<?> f) {
    try {
      f.await();
    } catch (Throwable e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }
}
