package io.splitbot.edge.platform;

import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * One platform as the edge sees it: where its webhook posts, how a post proves it comes from the platform, how an
 * update is keyed, and how the platform is pointed at this edge. The webhook handler, the spool and the forwarder
 * are the same for every platform; only this differs.
 */
public interface EdgePlatform {

  /** "telegram", "max": the envelope's platform. */
  String name();

  /** The webhook path, {@code /webhook/<name>}. */
  default String path() {
    return "/webhook/" + name();
  }

  /** The header the platform sends the shared secret in. */
  String secretHeader();

  /** The secret this edge expects, or null when none is configured. */
  String secret();

  /**
   * The envelope of a well-formed update: its dedup key, chat key and order, read from the body, which it keeps as
   * the bytes given.
   *
   * @throws io.vertx.core.json.DecodeException when the body is not a JSON object
   * @throws io.splitbot.shared.update.MalformedUpdateException naming the field that is missing or of the wrong type
   */
  UpdateEnvelope envelope(Buffer raw);

  /** Whether strangler routing applies: the legacy bot (LEGACY_WEBHOOK_URL) speaks this platform. */
  default boolean routable() {
    return false;
  }

  /** Points the platform at this edge when a public URL is configured, retrying until it accepts; else nothing. */
  void register();

  Future<Void> close();
}
