package io.splitbot.shared.cluster;

import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This process's id on the event bus: 12 random hex digits made once at start, before Vert.x is built, so the same
 * value names the process everywhere: its cluster node (the engine's logical name), its membership, its per-node
 * addresses and the {@code instance} label of its metrics. Random rather than a host name or an address: it tells
 * processes apart without saying where they run, and it is new at each start.
 */
public final class NodeId {
  private static final String MAP = "splitbot.node";
  private static final String KEY = "id";
  private static final SecureRandom RANDOM = new SecureRandom();

  private NodeId() {
  }

  public static String create() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Makes {@code id} the one {@link #of(Vertx)} answers for {@code vertx}. */
  public static void bind(Vertx vertx, String id) {
    vertx.sharedData().<String, String>getLocalMap(MAP).put(KEY, id);
  }

  /** The id bound to {@code vertx}, or a new one bound now when Vert.x was built elsewhere (a test, an embedding). */
  public static String of(Vertx vertx) {
    return vertx.sharedData().<String, String>getLocalMap(MAP).computeIfAbsent(KEY, k -> create());
  }
}
