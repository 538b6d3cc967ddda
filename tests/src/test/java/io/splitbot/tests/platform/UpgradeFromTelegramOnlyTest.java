package io.splitbot.tests.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.Replies;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker of the version before platforms left a spool, an effect ledger and dedup marks keyed by Telegram's
 * update_id. This version reads them as they are: what was spooled is delivered, what was removed or marked handled
 * is not run again, and an effect the ledger says completed is not repeated. The old formats are written here byte by
 * byte, not with this version's code, so the test holds them fixed.
 */
@ExtendWith(VertxExtension.class)
class UpgradeFromTelegramOnlyTest {
  /** 20 /echo updates over 4 chats; 700..703 open their chats. */
  private static final List<JsonObject> UPDATES = Updates.echoes(700, 20, 4, 61_000_000);
  /** Removed from the spool before the upgrade, handled before the upgrade, and replied to before the upgrade. */
  private static final long REMOVED = 700;
  private static final long REMOVED_TOO = 701;
  private static final long MARKED = 702;
  private static final long REPLIED = 703;

  @Test
  void aFileSpoolLedgerAndDedupWindowFromTheTelegramOnlyVersionAreReadAndDelivered(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("upgrade-file");
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("spool"));

    ByteArrayOutputStream journal = new ByteArrayOutputStream();
    for (JsonObject u : UPDATES) {
      journal.write(record((byte) 1, oldEnvelope(u).encode().getBytes(StandardCharsets.UTF_8)));
    }
    journal.write(record((byte) 2, ByteBuffer.allocate(8).putLong(REMOVED).array()));
    journal.write(record((byte) 2, ByteBuffer.allocate(8).putLong(REMOVED_TOO).array()));
    Files.write(data.resolve("spool").resolve("journal.log"), journal.toByteArray());
    // dedup.bin before snapshots: 16-byte marks of (update_id, epoch second)
    Files.write(data.resolve("dedup.bin"),
        ByteBuffer.allocate(16).putLong(MARKED).putLong(System.currentTimeMillis() / 1000).array());
    // effects.log: the reply of REPLIED went out before the crash
    Files.writeString(data.resolve("effects.log"), new JsonObject().put("u", REPLIED).put("s", 0).put("t", "complete")
        .put("r", new JsonObject().put("message_id", 9).put("text", "u" + REPLIED)).encode() + "\n");

    try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), TestEnv.webhookEnv(fake.baseUrl(), data), dir)) {
      assertDeliveredOnce(fake);
    }
  }

  @Test
  void aRedisSpoolLedgerAndDedupWindowFromTheTelegramOnlyVersionAreReadAndDelivered(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("upgrade-redis");
    try (RedisServerProcess redisServer = new RedisServerProcess(dir).start()) {
      Redis client = Redis.createClient(vertx, redisServer.url());
      RedisAPI redis = RedisAPI.api(client);
      for (JsonObject u : UPDATES) {
        String id = String.valueOf(u.getLong("update_id"));
        if (u.getLong("update_id") == REMOVED || u.getLong("update_id") == REMOVED_TOO) {
          continue; // the old REMOVE script deleted the entry and its index field
        }
        String entry = redis.xadd(List.of("splitbot:spool:stream", "*", "id", id, "env", oldEnvelope(u).encode()))
            .await().toString();
        redis.hset(List.of("splitbot:spool:index", id, entry)).await();
      }
      redis.set(List.of("splitbot:dedup:" + MARKED, "1", "EX", "86400")).await();
      redis.hset(List.of("splitbot:effects:" + REPLIED, "0",
          new JsonObject().put("r", new JsonObject().put("message_id", 9).put("text", "u" + REPLIED)).encode())).await();
      client.close();

      Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve("data"));
      env.put("REDIS_URL", redisServer.url());
      env.put("SPOOL", "redis");
      env.put("SPOOL_REDIS_VOLATILE", "true");
      try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir)) {
        assertDeliveredOnce(fake);
      }
    }
  }

  /** Every spooled update not handled before gets its one reply, in order; the others get none. */
  private static void assertDeliveredOnce(FakeTelegramApi fake) {
    List<JsonObject> expected = UPDATES.subList(4, UPDATES.size());
    fake.awaitCalls("sendMessage", expected.size(), Duration.ofSeconds(60));
    // 700..703 each open their chat, so with every later reply in, their chats are past them: no reply can follow.
    Replies.assertExactlyOnceInOrder(fake, expected);
    assertEquals(expected.size(), fake.calls("sendMessage").size());
  }

  /** The envelope as the version before platforms wrote it. */
  private static JsonObject oldEnvelope(JsonObject update) {
    return new JsonObject()
        .put("platform", "telegram")
        .put("update_id", update.getLong("update_id"))
        .put("chat_key", String.valueOf(update.getJsonObject("message").getJsonObject("chat").getLong("id")))
        .put("raw", update.encode());
  }

  /** A journal record: length, CRC-32 of type and payload, type, payload (big-endian). */
  private static byte[] record(byte type, byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(type);
    crc.update(payload);
    return ByteBuffer.allocate(9 + payload.length).putInt(payload.length).putInt((int) crc.getValue()).put(type)
        .put(payload).array();
  }
}
