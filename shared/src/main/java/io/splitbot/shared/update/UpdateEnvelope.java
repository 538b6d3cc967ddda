package io.splitbot.shared.update;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Objects;

/**
 * One platform update as it travels from the edge to the worker. {@code raw} is the body exactly as the platform
 * sent it, so fields this version does not know survive the trip. The platform adapter that read it supplies the
 * rest:
 *
 * <ul>
 *   <li>{@code dedupKey}: unique per platform; a redelivery of the update carries the same one.</li>
 *   <li>{@code chatKey}: the platform's chat; updates of one chat are handled one at a time.</li>
 *   <li>{@code order}: where the update stands within its chat (Telegram's update_id, MAX's timestamp).</li>
 * </ul>
 *
 * {@code route} is where the edge decided to send it ({@link #ROUTE_WORKER} or {@link #ROUTE_LEGACY}); it is stored
 * in the spool with the update, so a restart delivers it where it was meant to go.
 *
 * <p>Every store (spool, dedup, effect ledger, dead letters) keys an update by {@link #key()}, and the delivery order
 * is kept per {@link #lane()}: both carry the platform, so Telegram update 5 and MAX update 5 never meet.
 *
 * <p>The raw body is kept as the bytes it arrived in ({@link #rawBytes()}): the spool journal writes those very bytes
 * and the worker parses them, so the hot path never re-encodes it. {@link #raw()} decodes it once, when asked. An
 * envelope is immutable; the event bus passes it between verticles of one JVM as it is.
 */
public final class UpdateEnvelope {

  public static final String TELEGRAM = "telegram";
  /** The new worker, over the event bus (the default). */
  public static final String ROUTE_WORKER = "worker";
  /** The legacy bot's webhook, over HTTP (strangler migration). */
  public static final String ROUTE_LEGACY = "legacy";
  /** Delivery order: by position in the chat, ties by key, so every store lists the same way. */
  public static final Comparator<UpdateEnvelope> ORDER =
      Comparator.comparingLong(UpdateEnvelope::order).thenComparing(UpdateEnvelope::key);

  private final String platform;
  private final String dedupKey;
  private final String chatKey;
  private final long order;
  private final String route;
  private final Buffer rawBytes;
  private String raw;

  private UpdateEnvelope(String platform, String dedupKey, String chatKey, long order, Buffer rawBytes, String raw,
      String route) {
    this.platform = platform;
    this.dedupKey = dedupKey;
    this.chatKey = chatKey;
    this.order = order;
    this.rawBytes = rawBytes;
    this.raw = raw;
    this.route = route == null ? ROUTE_WORKER : route;
  }

  public UpdateEnvelope(String platform, String dedupKey, String chatKey, long order, String raw, String route) {
    this(platform, dedupKey, chatKey, order, raw == null ? null : Buffer.buffer(raw), raw, route);
  }

  public UpdateEnvelope(String platform, String dedupKey, String chatKey, long order, String raw) {
    this(platform, dedupKey, chatKey, order, raw, ROUTE_WORKER);
  }

  /** An envelope around the body's bytes as received; the buffer must not change afterwards. */
  public static UpdateEnvelope ofBytes(String platform, String dedupKey, String chatKey, long order, Buffer raw,
      String route) {
    return new UpdateEnvelope(platform, dedupKey, chatKey, order, Objects.requireNonNull(raw, "raw"), null, route);
  }

  public String platform() {
    return platform;
  }

  public String dedupKey() {
    return dedupKey;
  }

  public String chatKey() {
    return chatKey;
  }

  public long order() {
    return order;
  }

  public String route() {
    return route;
  }

  /** The body as the platform sent it (null only for an envelope written without one). */
  public Buffer rawBytes() {
    return rawBytes;
  }

  /** The body as text, decoded once. */
  public String raw() {
    String text = raw;
    if (text == null && rawBytes != null) {
      text = rawBytes.toString(StandardCharsets.UTF_8);
      raw = text;
    }
    return text;
  }

  /**
   * The update's name in every store. Telegram's keys are its bare update_ids, as they were before a second
   * platform existed, so spools, ledgers and dead letters written then are read the same after an upgrade; any other
   * platform's carry its name ({@code max:mid.00…}), and a bare number can never be one of them.
   */
  public String key() {
    return qualified(dedupKey);
  }

  /** The chat as the runtime orders it, across platforms: Telegram chat 5 and MAX chat 5 are two lanes. */
  public String lane() {
    return qualified(chatKey);
  }

  private String qualified(String value) {
    return TELEGRAM.equals(platform) ? value : platform + ":" + value;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("platform", platform)
        .put("dedup_key", dedupKey)
        .put("chat_key", chatKey)
        .put("order", order)
        .put("raw", raw());
    if (TELEGRAM.equals(platform)) {
      // Read by a worker of the version before platforms, during a rolling upgrade.
      json.put("update_id", order);
    }
    // Only a legacy route is written, so spools written before routing existed read the same.
    return ROUTE_WORKER.equals(route) ? json : json.put("route", route);
  }

  /** Reads an envelope of this version or of the one before platforms (Telegram only, keyed by update_id). */
  public static UpdateEnvelope fromJson(JsonObject json) {
    String platform = json.getString("platform", TELEGRAM);
    String dedupKey = json.getString("dedup_key");
    long order;
    if (dedupKey == null) {
      order = json.getLong("update_id");
      dedupKey = Long.toString(order);
    } else {
      order = json.getLong("order");
    }
    return new UpdateEnvelope(platform, dedupKey, json.getString("chat_key"), order, json.getString("raw"),
        json.getString("route", ROUTE_WORKER));
  }

  /** The same update, bound for {@code route}. */
  public UpdateEnvelope routedTo(String route) {
    return new UpdateEnvelope(platform, dedupKey, chatKey, order, rawBytes, raw, route);
  }

  public boolean forLegacy() {
    return ROUTE_LEGACY.equals(route);
  }

  /** The body parsed from its bytes. */
  public JsonObject parsed() {
    return new JsonObject(rawBytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UpdateEnvelope that
        && order == that.order
        && platform.equals(that.platform)
        && Objects.equals(dedupKey, that.dedupKey)
        && Objects.equals(chatKey, that.chatKey)
        && route.equals(that.route)
        && Objects.equals(rawBytes, that.rawBytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(platform, dedupKey, chatKey, order, route);
  }

  @Override
  public String toString() {
    return "UpdateEnvelope[platform=" + platform + ", key=" + dedupKey + ", chat=" + chatKey + ", order=" + order
        + ", route=" + route + ", " + (rawBytes == null ? 0 : rawBytes.length()) + " bytes]";
  }
}
