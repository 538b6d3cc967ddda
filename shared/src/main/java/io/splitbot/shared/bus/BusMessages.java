package io.splitbot.shared.bus;

import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * What the edge and the worker put on the event bus for an update and its answer. In one JVM they hand over the
 * objects themselves ({@link ImmutableCodec}); on a clustered bus they send JSON, which every version reads, so an
 * edge and a worker of different versions still understand each other during a rolling upgrade.
 */
public final class BusMessages {
  private BusMessages() {
  }

  /** Registers the codecs on this Vert.x, once however many verticles ask. */
  public static void register(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    synchronized (bus) {
      try {
        bus.registerDefaultCodec(UpdateEnvelope.class,
            new ImmutableCodec<>("splitbot-update", UpdateEnvelope::toJson, UpdateEnvelope::fromJson));
        bus.registerDefaultCodec(HandleReply.class,
            new ImmutableCodec<>("splitbot-handle-reply", HandleReply::toJson, HandleReply::fromJson));
      } catch (IllegalStateException alreadyRegistered) {
        // another verticle of this Vert.x registered them
      }
    }
  }

  /** The update as the bus should carry it. */
  public static Object update(Vertx vertx, UpdateEnvelope update) {
    return vertx.isClustered() ? update.toJson() : update;
  }

  /** An update from the bus: the object itself, or its JSON form. */
  public static UpdateEnvelope update(Object body) {
    return body instanceof UpdateEnvelope update ? update : UpdateEnvelope.fromJson((JsonObject) body);
  }

  /** The worker's answer as the bus should carry it. */
  public static Object reply(Vertx vertx, HandleReply reply) {
    return vertx.isClustered() ? reply.toJson() : reply;
  }

  /** An answer from the bus: the object itself, or its JSON form. */
  public static HandleReply reply(Object body) {
    return body instanceof HandleReply reply ? reply : HandleReply.fromJson((JsonObject) body);
  }
}
