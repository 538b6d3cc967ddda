package io.splitbot.edge.spool;

import static io.splitbot.edge.spool.SpoolTesting.await;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.config.Role;
import io.splitbot.shared.config.SplitbotConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class SpoolsTest {

  @TempDir
  Path dataDir;

  @Test
  void fileSpoolLivesUnderDataDir(Vertx vertx) throws Throwable {
    Spool spool = Spools.create(vertx, config(Map.of("SPOOL", "file")));
    assertInstanceOf(FileSpool.class, spool);
    await(spool.open(new Fed()));
    await(spool.close());
    assertTrue(Files.exists(dataDir.resolve("spool").resolve(FileSpool.JOURNAL)));
  }

  @Test
  void redisSpoolUsesRedisUrl(Vertx vertx) throws Throwable {
    Spool spool = Spools.create(vertx, config(Map.of("SPOOL", "redis", "REDIS_URL", "redis://127.0.0.1:6379")));
    assertInstanceOf(RedisSpool.class, spool);
    await(spool.close());
  }

  private SplitbotConfig config(Map<String, String> extra) {
    Map<String, String> vars = new HashMap<>(extra);
    vars.put("WEBHOOK_ALLOW_UNAUTHENTICATED", "true");
    vars.put("DATA_DIR", dataDir.toString());
    return SplitbotConfig.fromEnv(vars, Role.EDGE);
  }
}
