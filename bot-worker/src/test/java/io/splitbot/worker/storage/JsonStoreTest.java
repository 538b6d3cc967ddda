package io.splitbot.worker.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskKinds;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.worker.storage.json.JsonStoreCorruptException;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.UserProfile;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The embedded store's promises on disk: damaged files stop start-up untouched; writes are atomic and durable. */
class JsonStoreTest {
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static <T> T await(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().join();
  }

  static Throwable failure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static void seed(Path dir) {
    JsonStorage s = new JsonStorage(vertx, dir, false);
    await(s.start());
    for (int i = 1; i <= 3; i++) {
      await(new DeskStorage(s).requests().create(ServiceRequest.builder().number("250927-00" + i).requesterId(i).title("t" + i).build()));
    }
    await(s.close());
  }

  /** Damages requests.json by hand, then checks start-up refuses it, names file and position, and leaves it alone. */
  private static JsonStoreCorruptException damaged(Path dir, java.util.function.UnaryOperator<String> edit) throws Exception {
    seed(dir);
    Path file = dir.resolve("requests.json");
    Files.writeString(file, edit.apply(Files.readString(file)));
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
    byte[] before = Files.readAllBytes(file);

    JsonStorage s = new JsonStorage(vertx, dir, false);
    Throwable e = failure(s.start());
    assertInstanceOf(JsonStoreCorruptException.class, e);
    assertTrue(e.getMessage().startsWith("JSON store file " + file + " is damaged at line "), e.getMessage());
    assertTrue(e.getMessage().contains("left untouched"), e.getMessage());
    // a write attempted anyway is refused, and a second start fails the same way: nothing ever rewrote the file
    assertInstanceOf(StorageException.class, failure(new DeskStorage(s).requests().create(ServiceRequest.builder().number("250927-009")
        .requesterId(1).title("x").build())));
    assertEquals(e.getMessage(), failure(new JsonStorage(vertx, dir, false).start()).getMessage());
    assertArrayEquals(before, Files.readAllBytes(file), "the damaged file is never overwritten");
    assertEquals(FileTime.fromMillis(1_000_000_000_000L), Files.getLastModifiedTime(file));
    try (var tmp = Files.list(dir)) {
      assertTrue(tmp.noneMatch(p -> p.getFileName().toString().contains(".tmp")));
    }
    return (JsonStoreCorruptException) e;
  }

  @Test
  void brokenJsonGivesItsLineAndColumn(@TempDir Path dir) throws Exception {
    // line 4 is the second request; drop the opening quote of a value
    JsonStoreCorruptException e = damaged(dir, text -> text.replace("\"title\":\"t2\"", "\"title\":t2\""));
    assertEquals(4, e.line(), e.getMessage());
    assertTrue(e.column() > 1, e.getMessage());
  }

  @Test
  void aRecordThatIsNotValidIsNamedWithItsPosition(@TempDir Path dir) throws Exception {
    JsonStoreCorruptException e = damaged(dir, text -> text.replace("\"category\":\"other\"", "\"category\":\"garden\""));
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("requests record #1 is invalid: category must be one of"), e.getMessage());
  }

  @Test
  void anUnknownSectionADuplicateKeyAndAnEmptyFileAreRefused(@TempDir Path a, @TempDir Path b, @TempDir Path c)
      throws Exception {
    assertTrue(damaged(a, text -> text.replace("\"comments\":", "\"comment\":")).getMessage()
        .contains("unknown section \"comment\""));
    assertTrue(damaged(b, text -> text.replace("250927-002", "250927-001")).getMessage()
        .contains("repeats the key 250927-001"));
    JsonStoreCorruptException empty = damaged(c, text -> "");
    assertEquals(1, empty.line());
    assertTrue(empty.getMessage().contains("the file is empty"));
  }

  @Test
  void leftoversOfAnInterruptedWriteAreIgnored(@TempDir Path dir) throws Exception {
    seed(dir);
    Path tmp = dir.resolve("requests.json.tmp-123");
    Files.writeString(tmp, "{\"format\":\"splitbot-json-st");
    JsonStorage s = new JsonStorage(vertx, dir, false);
    await(s.start());
    assertEquals(3, await(new DeskStorage(s).requests().search(null, null, 0, 10)).total());
    assertFalse(Files.exists(tmp), "the torn temp file is removed");
    await(s.close());
  }

  @Test
  void aFileOfAKindNoLongerDeclaredIsLeftAsItIs(@TempDir Path dir) throws Exception {
    seed(dir);
    // an older worker kept the desk's /new state in conversations.json
    Path old = dir.resolve("conversations.json");
    byte[] bytes = ("{\"format\":\"splitbot-json-store/1\",\n\"conversations\":[\n"
        + "{\"key\":\"-100123:42\",\"step\":\"phone\",\"data\":\"{\\\"title\\\":\\\"x\\\"}\","
        + "\"updated_at\":\"2025-09-27T08:00:00.000Z\"}\n]\n}\n").getBytes(StandardCharsets.UTF_8);
    Files.write(old, bytes);
    Logger logger = (Logger) LoggerFactory.getLogger(JsonStorage.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    JsonStorage s = new JsonStorage(vertx, dir, false);
    try {
      await(s.start());
    } finally {
      logger.detachAppender(logged);
    }
    assertEquals(3, await(new DeskStorage(s).requests().search(null, null, 0, 10)).total());
    await(s.keyValue("scores").put("a", new JsonObject().put("n", 1)));
    await(s.close());
    assertArrayEquals(bytes, Files.readAllBytes(old), "the old file is not rewritten or removed");
    assertTrue(logged.list.stream().anyMatch(e -> e.getFormattedMessage().contains("conversations.json is not read")),
        () -> "logged: " + logged.list);
  }

  @Test
  void oneWriterPerDirectoryButReadOnlyOpensAlongside(@TempDir Path dir) {
    seed(dir);
    JsonStorage writer = new JsonStorage(vertx, dir, false);
    await(writer.start());
    Throwable second = failure(new JsonStorage(vertx, dir, false).start());
    assertTrue(second.getMessage().contains("is in use by another process"), second.getMessage());
    JsonStorage reader = new JsonStorage(vertx, dir, true);
    await(reader.start());
    assertEquals(3, await(new DeskStorage(reader).requests().search(null, null, 0, 10)).total());
    assertTrue(failure(reader.keyValue("scores").put("x", new JsonObject())).getMessage().contains("read-only"));
    await(reader.close());
    await(writer.close());
  }

  @Test
  void acknowledgedWritesSurviveAKillMinusNine(@TempDir Path dir) throws Exception {
    // A child JVM increments a counter in a loop and prints each acknowledged value; we SIGKILL it mid-stream.
    assertNotEquals(DeskKinds.COUNTERS.group(), Kinds.KEY_VALUE.group(), "the two writes go to two files");
    long acknowledged = 0;
    for (int round = 0; round < 3; round++) {
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx128m", "-cp", System.getProperty("java.class.path"), JsonStoreWriterMain.class.getName(), dir.toString());
      pb.redirectErrorStream(true);
      Process p = pb.start();
      var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      long last = -1;
      long target = acknowledged + 40 + round * 17;
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ack ")) {
          last = Long.parseLong(line.substring(4));
          if (last >= target) {
            break;
          }
        }
      }
      p.destroyForcibly(); // SIGKILL, in the middle of the next writes
      p.waitFor();
      assertTrue(last >= target, "the writer acknowledged writes");
      acknowledged = last;

      JsonStorage s = new JsonStorage(vertx, dir, true);
      await(s.start()); // loads: the file is whole
      long value = await(new DeskStorage(s).counters().current("250927"));
      assertTrue(value >= acknowledged, "every acknowledged write is there: " + value + " < " + acknowledged);
      JsonObject other = await(s.keyValue("writer").get("k"));
      long inOtherFile = other == null ? -1 : other.getLong("n");
      assertTrue(inOtherFile == value || inOtherFile == value - 1,
          "the other file holds the last or the one before last write: " + inOtherFile + " vs " + value);
      await(s.close());
      acknowledged = value;
    }
  }

  @Test
  void dataRoundTripsThroughTheFile(@TempDir Path dir) {
    seed(dir);
    JsonStorage s = new JsonStorage(vertx, dir, false);
    await(s.start());
    await(new DeskStorage(s).requests().changeStatus("250927-002", "new", "in_progress", 5));
    await(s.close());
    JsonStorage again = new JsonStorage(vertx, dir, true);
    await(again.start());
    assertEquals("in_progress", await(new DeskStorage(again).requests().find("250927-002")).orElseThrow().status());
    assertEquals(2, await(new DeskStorage(again).history().statusHistory("250927-002")).size());
    assertEquals(List.of("250927-003", "250927-002", "250927-001"), await(new DeskStorage(again).requests().search(null, null, 0, 5))
        .items().stream().map(ServiceRequest::number).toList());
    await(again.close());
  }

  @Test
  void aUsersFileFromBeforePlatformsReadsAsTelegramAndGainsThePlatformOnTheNextWrite(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir);
    // users.json as a worker without platforms wrote it: ids only
    Files.writeString(dir.resolve("users.json"), """
        {"format":"splitbot-json-store/1",
        "users":[
        {"user_id":5,"first_name":"Иван","last_name":null,"username":"ivan","language_code":"ru","profile_source":"webhook","profile_last_updated":"2025-09-27T08:00:00.000Z","created_at":"2025-09-27T08:00:00.000Z"},
        {"user_id":10,"first_name":"Staff","last_name":null,"username":null,"language_code":null,"profile_source":"manual","profile_last_updated":"2025-09-27T08:00:00.000Z","created_at":"2025-09-27T08:00:00.000Z"}
        ]
        }
        """, StandardCharsets.UTF_8);
    JsonStorage s = new JsonStorage(vertx, dir, false);
    await(s.start());
    UserProfile ivan = await(s.users().find("telegram", 5)).orElseThrow();
    assertEquals("Иван", ivan.firstName());
    assertEquals("telegram", ivan.platform());
    assertTrue(await(s.users().find("max", 5)).isEmpty(), "MAX user 5 is someone else");
    assertEquals(List.of("telegram/5", "telegram/10"),
        await(s.records(Kinds.USERS).scan(null, 10)).stream().map(Kinds.USERS::key).toList());

    await(s.users().upsert(UserProfile.fromWebhook("max", 5, "Boris", null, null, "en")));
    await(s.close());
    String file = Files.readString(dir.resolve("users.json"));
    assertTrue(file.contains("{\"platform\":\"telegram\",\"user_id\":5,"), file);
    assertTrue(file.contains("{\"platform\":\"max\",\"user_id\":5,"), file);
    JsonStorage again = new JsonStorage(vertx, dir, true);
    await(again.start());
    assertEquals(3L, await(again.records(Kinds.USERS).count()), "two people with id 5, and user 10");
    await(again.close());
  }

  @Test
  void requestsAndCommentsFromBeforePlatformsAreTelegramsAndGainThePlatformOnTheNextWrite(@TempDir Path dir) throws Exception {
    seed(dir);
    JsonStorage s = new JsonStorage(vertx, dir, false);
    await(s.start());
    await(new DeskStorage(s).comments().add(io.splitbot.desk.storage.Comment.create("250927-001", 1, "old")));
    await(s.close());
    // requests.json as a worker without platforms wrote it: no platform fields
    Path file = dir.resolve("requests.json");
    String old = Files.readString(file).replace("\"requester_platform\":\"telegram\",", "")
        .replace("\"executor_platform\":\"telegram\",", "").replace("\"author_platform\":\"telegram\",", "");
    assertFalse(old.contains("_platform"), old);
    Files.writeString(file, old);

    JsonStorage again = new JsonStorage(vertx, dir, false);
    await(again.start());
    DeskStorage desk = new DeskStorage(again);
    assertEquals(UserRef.telegram(2), await(desk.requests().find("250927-002")).orElseThrow().requester());
    assertEquals(UserRef.telegram(1), await(desk.comments().list("250927-001")).get(0).author());
    assertEquals(1, await(desk.requests().listByRequester(UserRef.telegram(2), 0, 5)).total());
    assertEquals(0, await(desk.requests().listByRequester(new UserRef("max", 2), 0, 5)).total(), "MAX user 2 filed nothing");
    await(desk.requests().changeStatus("250927-003", "new", "in_progress", 1));
    await(again.close());
    assertTrue(Files.readString(file).contains("\"requester_platform\":\"telegram\""), "the next write adds the field");
  }
}
