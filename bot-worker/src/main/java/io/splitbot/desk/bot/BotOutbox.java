package io.splitbot.desk.bot;

import io.splitbot.worker.bot.UpdateContext;
import io.splitbot.desk.notify.Outbox;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Notifications from a handler go through the update's context: each is sent at most once, however often it runs. */
final class BotOutbox {
  private BotOutbox() {
  }

  static Outbox of(UpdateContext ctx) {
    return (chatId, text, markup) -> ctx.sendMessage(String.valueOf(chatId), text, List.of(),
        markup == null ? null : new JsonObject().put("reply_markup", markup)).mapEmpty();
  }
}
