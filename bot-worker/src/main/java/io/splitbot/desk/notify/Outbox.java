package io.splitbot.desk.notify;

import io.splitbot.desk.storage.UserRef;
import io.splitbot.worker.bot.Button;
import io.vertx.core.Future;
import java.util.List;

/**
 * Where notifications go out: to a user's private chat on the user's own platform. From a handler each message goes
 * through the update (its effect ledger), so it is sent at most once however often the update runs; from the
 * internal API it goes to the platform's client directly.
 */
@FunctionalInterface
public interface Outbox {
  /** Sends {@code text} with inline buttons ({@code rows} may be empty) to {@code to}'s private chat. */
  Future<Void> send(UserRef to, String text, List<List<Button>> rows);

  /** No platform configured: notifications have nowhere to go. */
  Outbox NONE = (to, text, rows) -> Future.succeededFuture();
}
