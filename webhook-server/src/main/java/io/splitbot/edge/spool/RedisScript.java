package io.splitbot.edge.spool;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/** A Lua script run by its SHA, and again by its source when Redis lost its script cache (e.g. after a restart). */
record RedisScript(String source, String sha) {

  RedisScript(String source) {
    this(source, sha1(source));
  }

  Future<Response> run(Function<Request, Future<Response>> send, List<String> keys, String... args) {
    return send.apply(request(Command.EVALSHA, keys, args))
        .recover(e -> e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")
            ? send.apply(request(Command.EVAL, keys, args))
            : Future.failedFuture(e));
  }

  /** EVAL (by source) or EVALSHA of this script. */
  Request request(Command command, List<String> keys, String... args) {
    Request request = Request.cmd(command).arg(command == Command.EVAL ? source : sha).arg(keys.size());
    keys.forEach(request::arg);
    for (String arg : args) {
      request.arg(arg);
    }
    return request;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }
}
