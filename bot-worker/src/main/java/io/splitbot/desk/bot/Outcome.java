package io.splitbot.desk.bot;

import io.splitbot.worker.bot.Button;
import io.splitbot.worker.bot.UpdateContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a handler shows the user, decided once and kept as JSON (inside {@code ctx.once} and in the conversation
 * state): the answer to a pressed button, a new text for the message the button sits on, and new messages, each
 * with its inline buttons, which the update's platform draws. {@link #deliver} sends it; sending the same outcome
 * again sends nothing twice, because each call goes through the update's effect ledger.
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

  /** A notice on the pressed button (a toast; an alert box when {@code alert}, where the platform has one). */
  public Outcome answer(String text, boolean alert) {
    json.put("answer", text).put("alert", alert);
    return this;
  }

  /** Replaces the text and buttons (none when null or empty) of the message the pressed button sits on. */
  public Outcome edit(String text, List<List<Button>> rows) {
    json.put("edit", new JsonObject().put("text", text).put("buttons", rowsToJson(rows)));
    return this;
  }

  public Outcome message(String text, List<List<Button>> rows) {
    return message(text, rows, null);
  }

  /** A message with inline buttons, and {@code extra} for the platform's call as it is (a Telegram reply keyboard). */
  public Outcome message(String text, List<List<Button>> rows, JsonObject extra) {
    json.getJsonArray("messages").add(new JsonObject().put("text", text).put("buttons", rowsToJson(rows)).put("extra", extra));
    return this;
  }

  public Outcome message(String text) {
    return message(text, null, null);
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
      // "message is not modified" and the like must not fail the update: the user already sees the right thing
      chain = chain.compose(v -> ctx.editMessage(ctx.chatId(), messageId, edit.getString("text"), rows(edit), extra(edit))
          .<Void>mapEmpty().otherwiseEmpty());
    }
    for (Object m : json.getJsonArray("messages")) {
      JsonObject msg = (JsonObject) m;
      chain = chain.compose(v -> ctx.reply(msg.getString("text"), rows(msg), extra(msg)).mapEmpty());
    }
    return chain;
  }

  private static Future<Void> answer(UpdateContext ctx, String text, boolean alert) {
    // an expired query (answered too late) is not worth failing the update for
    return ctx.answerCallback(text, alert).otherwiseEmpty();
  }

  /** Rows of buttons as JSON: {@code [[{"text":…,"data":…}]]}; null for none. */
  static JsonArray rowsToJson(List<List<Button>> rows) {
    if (rows == null || rows.isEmpty()) {
      return null;
    }
    JsonArray out = new JsonArray();
    for (List<Button> row : rows) {
      JsonArray line = new JsonArray();
      row.forEach(b -> line.add(new JsonObject().put("text", b.text()).put("data", b.data())));
      out.add(line);
    }
    return out;
  }

  static List<List<Button>> rows(JsonObject shown) {
    JsonArray rows = shown.getJsonArray("buttons");
    List<List<Button>> out = new ArrayList<>();
    if (rows != null) {
      for (Object row : rows) {
        List<Button> line = new ArrayList<>();
        for (Object b : (JsonArray) row) {
          line.add(new Button(((JsonObject) b).getString("text"), ((JsonObject) b).getString("data")));
        }
        out.add(line);
      }
    }
    return out;
  }

  /**
   * The platform's extra; an outcome an earlier version kept carries Telegram's {@code reply_markup} instead, which
   * is sent as it was (only Telegram had a desk then).
   */
  private static JsonObject extra(JsonObject shown) {
    JsonObject legacy = shown.getJsonObject("reply_markup");
    return legacy != null ? new JsonObject().put("reply_markup", legacy) : shown.getJsonObject("extra");
  }
}
