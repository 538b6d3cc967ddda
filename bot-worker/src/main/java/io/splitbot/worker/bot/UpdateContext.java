package io.splitbot.worker.bot;

import io.splitbot.worker.platform.PlatformDialect;
import io.splitbot.worker.platform.PlatformDialect.ApiCall;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * One update as its handlers see it, with the ways to answer it, the same on every platform: {@link #text()},
 * {@link #command()}, {@link #from()}, {@link #callbackData()}, {@link #reply(String)} and
 * {@link #answerCallback(String)} read and write Telegram's and MAX's updates alike. {@link #update()} is the raw
 * update and {@link #call} any method of the platform's own API, for what only one platform has.
 *
 * <p>Handlers run on an event loop: never block it (no JDBC, no sleeping, no blocking HTTP); run blocking code through
 * {@link #blocking(Callable)}.
 */
public final class UpdateContext {
  private final Vertx vertx;
  private final PlatformDialect dialect;
  private final String updateKey;
  private final JsonObject update;
  private final String chatKey;
  private final BotCalls calls;
  private final JsonObject session;

  /**
   * Made by the runtime for each update.
   *
   * @param session this chat's session, loaded by the runtime; what the handler leaves in it is saved when the
   *     update succeeds
   */
  public UpdateContext(Vertx vertx, PlatformDialect dialect, String updateKey, JsonObject update, String chatKey,
      BotCalls calls, JsonObject session) {
    this.vertx = vertx;
    this.dialect = dialect;
    this.updateKey = updateKey;
    this.update = update;
    this.chatKey = chatKey;
    this.calls = calls;
    this.session = session;
  }

  /** The platform the update came from: "telegram", "max". */
  public String platform() {
    return dialect.platform();
  }

  /** The update's key, unique across platforms and the same on every redelivery ("5", "max:mid.…"). */
  public String updateKey() {
    return updateKey;
  }

  /** The update as the platform sent it. */
  public JsonObject update() {
    return update;
  }

  /** The chat the update belongs to, as the runtime orders it (unique within its platform). */
  public String chatKey() {
    return chatKey;
  }

  /** The update's type as the platform names it: message, callback_query (Telegram); message_created, ... (MAX). */
  public String updateType() {
    return dialect.updateType(update);
  }

  /** Whether the update is a new message (not an edit, a button press, a member joining, ...). */
  public boolean isMessage() {
    return dialect.isMessage(update);
  }

  /** The text of a new message (not an edit), or null. */
  public String text() {
    return dialect.text(update);
  }

  /**
   * The text of the message this new message replies to (a swipe-reply or "Reply" in the client), or null when it
   * replies to nothing or to a message without text.
   */
  public String repliedTo() {
    return dialect.repliedToText(update);
  }

  /** The data of a pressed inline button, or null. */
  public String callbackData() {
    return dialect.callbackData(update);
  }

  /** Who caused the update, or null. */
  public Sender from() {
    return dialect.sender(update);
  }

  /** The sender's id, or null. */
  public Long userId() {
    Sender from = from();
    return from == null ? null : from.id();
  }

  /** The sender's language ("ru", "en-US"), or null when the platform does not say. */
  public String languageCode() {
    Sender from = from();
    return from == null ? null : from.languageCode();
  }

  /** Where a reply goes (the chat's id), or null when the update has none. */
  public String chatId() {
    return dialect.replyTarget(update);
  }

  /** The command name without slash and bot suffix ("start" for "/start@my_bot x"), or null. */
  public String command() {
    String text = text();
    if (text == null || !text.startsWith("/") || text.length() < 2) {
      return null;
    }
    String head = text.substring(1).split("\\s", 2)[0];
    int at = head.indexOf('@');
    return (at >= 0 ? head.substring(0, at) : head).toLowerCase();
  }

  /** What follows the command, trimmed; empty when nothing does. */
  public String commandArgs() {
    String text = text();
    if (command() == null) {
      return "";
    }
    String[] parts = text.split("\\s", 2);
    return parts.length < 2 ? "" : parts[1].trim();
  }

  /**
   * This chat's state, kept between updates: read and change it in place. It is loaded before the handler runs and
   * saved after it succeeds, in the same step that marks the update handled, so an attempt that fails leaves no
   * trace in it and the next attempt starts from the state before. Values must be JSON.
   */
  public JsonObject session() {
    return session;
  }

  /**
   * Runs blocking code (JDBC, a blocking client, file I/O) on a worker thread and completes on this update's event
   * loop. Calls to one context's blocking code run one at a time.
   */
  public <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work);
  }

  /**
   * Any method of the platform's own API: {@code call("sendPhoto", params)} on Telegram, {@code call("POST /messages",
   * {"query":{…},"body":{…}})} on MAX. Throttled, retried by the same rules as the shortcuts, and recorded in the
   * effect ledger, so a retried update does not send it twice.
   */
  public Future<Object> call(String method, JsonObject params) {
    return calls.call(method, params);
  }

  /**
   * Runs {@code effect} at most once for this update, even if the update runs again after a failed attempt or a
   * worker crash; a repeat returns the first run's result. Wrap writes that must not happen twice, such as
   * creating a record. The result is kept as JSON; {@code label} only names it in logs.
   */
  public Future<JsonObject> once(String label, Supplier<Future<JsonObject>> effect) {
    return calls.once(label, () -> effect.get().map(r -> (Object) r)).map(r -> (JsonObject) r);
  }

  public Future<JsonObject> reply(String text) {
    return reply(text, List.of(), null);
  }

  /** A reply with inline buttons, one list per row. */
  public Future<JsonObject> reply(String text, List<List<Button>> rows) {
    return reply(text, rows, null);
  }

  /**
   * A reply in this update's chat. {@code extra} is merged into the platform's call as it is (Telegram: parse_mode,
   * reply_markup, ...; MAX: the message body's format, notify, ...).
   */
  public Future<JsonObject> reply(String text, List<List<Button>> rows, JsonObject extra) {
    String target = chatId();
    if (target == null) {
      return Future.failedFuture(new IllegalStateException("update " + updateKey + " has no chat to reply to"));
    }
    return sendMessage(target, text, rows, extra);
  }

  /** Where a message to user {@code userId} of this platform goes (their private chat), for {@link #sendMessage}. */
  public String userTarget(long userId) {
    return dialect.userTarget(userId);
  }

  /** A message to another chat of this platform. */
  public Future<JsonObject> sendMessage(String target, String text, List<List<Button>> rows, JsonObject extra) {
    return run(dialect.send(target, text, rows, extra)).map(UpdateContext::object);
  }

  /** Replaces the text and buttons of a message the bot sent, such as the one a pressed button sits on. */
  public Future<Object> editMessage(String target, String messageId, String text, List<List<Button>> rows, JsonObject extra) {
    return run(dialect.edit(target, messageId, text, rows, extra));
  }

  /** The message the pressed button sits on, to edit it in place; null for other updates. */
  public String callbackMessageId() {
    return dialect.callbackMessageId(update);
  }

  /** Stops the pressed button's spinner; {@code notice}, if any, shows as a short notice. Nothing for other updates. */
  public Future<Void> answerCallback(String notice) {
    return answerCallback(notice, false);
  }

  /** As {@link #answerCallback(String)}; {@code alert} asks for a notice the user must dismiss, where the platform has one. */
  public Future<Void> answerCallback(String notice, boolean alert) {
    ApiCall answer = dialect.answerCallback(update, notice, alert);
    return answer == null ? Future.succeededFuture() : run(answer).mapEmpty();
  }

  /**
   * The longest text one message may carry on this platform, in UTF-16 code units ({@code String.length()}). A longer
   * one is cut to it with "…" on its way out ({@link TextFit}); to show more, page or split it yourself.
   */
  public int maxTextLength() {
    return dialect.limits().text();
  }

  private Future<Object> run(ApiCall call) {
    return calls.call(call.method(), call.params());
  }

  private static JsonObject object(Object result) {
    return result instanceof JsonObject o ? o : new JsonObject();
  }
}
