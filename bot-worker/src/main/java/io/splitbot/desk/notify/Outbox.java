package io.splitbot.desk.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Where notifications go out. From a handler it is the update's context, so each message is sent at most once
 * however often the update runs; from the internal API it is the Bot API client directly.
 */
@FunctionalInterface
public interface Outbox {
  /** Sends {@code text} to a user's private chat; {@code replyMarkup} may be null. */
  Future<Void> send(long chatId, String text, JsonObject replyMarkup);

  /** No Telegram token: notifications have nowhere to go. */
  Outbox NONE = (chatId, text, markup) -> Future.succeededFuture();
}
