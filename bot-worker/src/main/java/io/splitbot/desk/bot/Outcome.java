package io.splitbot.desk.bot;

import io.splitbot.worker.bot.UpdateContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a handler shows the user, decided once and kept as JSON (inside {@code ctx.once} and in the conversation
 * state): the answer to a pressed button, a new text for the message the button sits on, and new messages.
 * {@link #deliver} sends it; sending the same outcome again sends nothing twice, because each call goes through
 * the update's effect ledger.
 */
public final class Outcome {
  private final JsonObject json;

  public Outcome() {
    this(new JsonObject().put("messages", new JsonArray()));
  }

  private Outcome(JsonObject json) {
    this.json = json;
  }

  public static Outcome fromJson(JsonObject json) {
    JsonObject copy = json == null ? new JsonObject() : json.copy();
    if (copy.getJsonArray("messages") == null) {
      copy.put("messages", new JsonArray());
    }
    return new Outcome(copy);
  }

  public JsonObject toJson() {
    return json.copy();
  }

  /** A notice on the pressed button (a toast; an alert box when {@code alert}). */
  public Outcome answer(String text, boolean alert) {
    json.put("answer", text).put("alert", alert);
    return this;
  }

  /** Replaces the text (and buttons, none when null) of the message the pressed button sits on. */
  public Outcome edit(String text, JsonObject markup) {
    json.put("edit", new JsonObject().put("text", text).put("reply_markup", markup));
    return this;
  }

  public Outcome message(String text, JsonObject markup) {
    json.getJsonArray("messages").add(new JsonObject().put("text", text).put("reply_markup", markup));
    return this;
  }

  public Outcome message(String text) {
    return message(text, null);
  }

  public Outcome put(String key, Object value) {
    json.put(key, value);
    return this;
  }

  public JsonObject data() {
    return json;
  }

  /** Sends it: the button's answer first (it stops the spinner), then the edit, then the messages in order. */
  public Future<Void> deliver(UpdateContext ctx) {
    Future<Void> chain = Future.succeededFuture();
    if (ctx.callbackData() != null) {
      String answer = json.getString("answer");
      boolean alert = json.getBoolean("alert", false);
      chain = chain.compose(v -> answer(ctx, answer, alert));
    }
    JsonObject edit = json.getJsonObject("edit");
    if (edit != null && ctx.callbackMessageId() != null) {
      String messageId = ctx.callbackMessageId();
      JsonObject extra = edit.getJsonObject("reply_markup") == null
          ? null
          : new JsonObject().put("reply_markup", edit.getJsonObject("reply_markup"));
      // "message is not modified" and the like must not fail the update: the user already sees the right thing
      chain = chain.compose(v -> ctx.editMessage(ctx.chatId(), messageId, edit.getString("text"), List.of(), extra)
          .<Void>mapEmpty().otherwiseEmpty());
    }
    for (Object m : json.getJsonArray("messages")) {
      JsonObject msg = (JsonObject) m;
      JsonObject extra = msg.getJsonObject("reply_markup") == null
          ? null
          : new JsonObject().put("reply_markup", msg.getJsonObject("reply_markup"));
      chain = chain.compose(v -> ctx.reply(msg.getString("text"), List.of(), extra).mapEmpty());
    }
    return chain;
  }

  private static Future<Void> answer(UpdateContext ctx, String text, boolean alert) {
    // an expired query (answered too late) is not worth failing the update for
    return ctx.answerCallback(text, alert).otherwiseEmpty();
  }
}
