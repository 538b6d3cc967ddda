package io.splitbot.worker.platform.max;

import io.splitbot.edge.platform.max.MaxUpdates;
import io.splitbot.edge.platform.max.MaxUpdates.ReplyTarget;
import io.splitbot.worker.bot.Button;
import io.splitbot.worker.bot.Sender;
import io.splitbot.worker.platform.OutgoingFit;
import io.splitbot.worker.platform.PlatformDialect;
import io.splitbot.worker.platform.PlatformLimits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * MAX's Bot API (docs/MAX.md): updates name their type in {@code update_type}; answers are REST calls, written as
 * {@code "POST /messages"} with {@code {"query":{…},"body":{…}}}; inline buttons are a keyboard attachment. A target is
 * a chat id, or {@code user:<id>} where an update has no chat: the chat keys' own form.
 *
 * <p>Two mappings make a bot written for Telegram run here unchanged: {@code bot_started} (the user pressed Start)
 * reads as the text {@code /start} (with its deep-link payload, as Telegram's {@code /start <payload>}), and
 * {@link #answerCallback} with no notice sends nothing, since MAX's answer must carry a notification or a message.
 */
public final class MaxDialect implements PlatformDialect {
  public static final MaxDialect INSTANCE = new MaxDialect();
  public static final String NAME = "max";
  /**
   * MAX's documented limits (docs/MAX.md §2): 4000 characters of message text, 1-128 of a button's label, up to 1024
   * of a callback button's payload. It has no captions (a media message's text is its text) and documents no limit on
   * a callback answer's notification: the message's is assumed.
   */
  public static final PlatformLimits LIMITS = new PlatformLimits(4000, 4000, 4000, 1024, false, 128);
  private static final String USER_TARGET = "user:";

  private MaxDialect() {
  }

  @Override
  public String platform() {
    return NAME;
  }

  @Override
  public String updateType(JsonObject update) {
    return MaxUpdates.updateType(update);
  }

  @Override
  public String text(JsonObject update) {
    return switch (updateType(update)) {
      case "message_created" -> MaxUpdates.text(update);
      case "bot_started" -> {
        String payload = MaxUpdates.startPayload(update);
        yield payload == null || payload.isBlank() ? "/start" : "/start " + payload;
      }
      default -> null;
    };
  }

  @Override
  public boolean isMessage(JsonObject update) {
    return "message_created".equals(updateType(update));
  }

  /** {@code message.link} of type reply carries the replied-to message's body; a forward is no reply. */
  @Override
  public String repliedToText(JsonObject update) {
    if (!isMessage(update) || !(update.getValue("message") instanceof JsonObject message)
        || !(message.getValue("link") instanceof JsonObject link) || !"reply".equals(link.getValue("type"))
        || !(link.getValue("message") instanceof JsonObject replied)) {
      return null;
    }
    return string(replied, "text");
  }

  @Override
  public String callbackData(JsonObject update) {
    return MaxUpdates.callbackPayload(update);
  }

  @Override
  public Sender sender(JsonObject update) {
    JsonObject user = MaxUpdates.sender(update);
    if (user == null) {
      return null;
    }
    return new Sender(NAME, user.getLong("user_id"), string(user, "first_name"), string(user, "last_name"),
        string(user, "username"), MaxUpdates.locale(update), Boolean.TRUE.equals(user.getValue("is_bot")));
  }

  @Override
  public String replyTarget(JsonObject update) {
    ReplyTarget target = MaxUpdates.replyTarget(update);
    if (target == null) {
      return null;
    }
    return ReplyTarget.USER.equals(target.param()) ? USER_TARGET + target.id() : Long.toString(target.id());
  }

  /** By {@code user_id}: MAX delivers it to the user's dialog with the bot. */
  @Override
  public String userTarget(long userId) {
    return USER_TARGET + userId;
  }

  @Override
  public String callbackMessageId(JsonObject update) {
    return updateType(update).equals("message_callback") ? MaxUpdates.messageId(update) : null;
  }

  @Override
  public ApiCall send(String target, String text, List<List<Button>> rows, JsonObject extra) {
    JsonObject query = target.startsWith(USER_TARGET)
        ? new JsonObject().put(ReplyTarget.USER, id(target.substring(USER_TARGET.length()), target))
        : new JsonObject().put(ReplyTarget.CHAT, id(target, target));
    return new ApiCall("POST /messages", new JsonObject().put("query", query).put("body", body(text, rows, extra)));
  }

  /**
   * An edit without rows sends {@code attachments: []}: MAX keeps the attachments of an edit that names none, and the
   * buttons must go as they do on Telegram.
   */
  @Override
  public ApiCall edit(String target, String messageId, String text, List<List<Button>> rows, JsonObject extra) {
    JsonObject body = body(text, rows, null);
    if (!body.containsKey("attachments")) {
      body.put("attachments", new JsonArray());
    }
    if (extra != null) {
      body.mergeIn(extra);
    }
    return new ApiCall("PUT /messages", new JsonObject()
        .put("query", new JsonObject().put("message_id", messageId))
        .put("body", body));
  }

  @Override
  public ApiCall answerCallback(JsonObject update, String notice, boolean alert) {
    String callbackId = MaxUpdates.callbackId(update);
    if (callbackId == null || notice == null) {
      return null;
    }
    // MAX has one kind of notice, a one-time toast: an alert is shown as one.
    return new ApiCall("POST /answers", new JsonObject()
        .put("query", new JsonObject().put("callback_id", callbackId))
        .put("body", new JsonObject().put("notification", notice)));
  }

  @Override
  public PlatformLimits limits() {
    return LIMITS;
  }

  /** A message body's text and keyboard (new, edited, or the new message of a button's answer) and an answer's notice. */
  @Override
  public void fit(String method, JsonObject params, OutgoingFit fit) {
    if (!(params.getValue("body") instanceof JsonObject body)) {
      return;
    }
    switch (method) {
      case "POST /messages", "PUT /messages" -> fitBody(body, fit);
      case "POST /answers" -> {
        fit.notice(body, "notification");
        if (body.getValue("message") instanceof JsonObject message) {
          fitBody(message, fit);
        }
      }
      default -> { }
    }
  }

  private static void fitBody(JsonObject body, OutgoingFit fit) {
    fit.text(body, "text", null, "format");
    if (body.getValue("attachments") instanceof JsonArray attachments) {
      for (Object a : attachments) {
        if (a instanceof JsonObject attachment && "inline_keyboard".equals(attachment.getValue("type"))
            && attachment.getValue("payload") instanceof JsonObject payload) {
          OutgoingFit.eachButton(payload.getValue("buttons"), (button, row, column) -> {
            fit.buttonText(button, "text");
            if ("callback".equals(button.getValue("type"))) {
              fit.callbackData(button, "payload", "text", row, column);
            }
          });
        }
      }
    }
  }

  /** The message body: text, the keyboard attachment when there are buttons, then {@code extra} as given. */
  private static JsonObject body(String text, List<List<Button>> rows, JsonObject extra) {
    JsonObject body = new JsonObject().put("text", text);
    if (rows != null && !rows.isEmpty()) {
      body.put("attachments", new JsonArray().add(keyboard(rows)));
    }
    if (extra != null) {
      body.mergeIn(extra);
    }
    return body;
  }

  /** Rows of buttons as an inline keyboard attachment of callback buttons. */
  static JsonObject keyboard(List<List<Button>> rows) {
    JsonArray buttons = new JsonArray();
    for (List<Button> row : rows) {
      JsonArray line = new JsonArray();
      row.forEach(b -> line.add(new JsonObject().put("type", "callback").put("text", b.text()).put("payload", b.data())));
      buttons.add(line);
    }
    return new JsonObject().put("type", "inline_keyboard").put("payload", new JsonObject().put("buttons", buttons));
  }

  private static long id(String digits, String target) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a MAX chat: '" + target + "' (a chat id, or user:<id>)");
    }
  }

  private static String string(JsonObject parent, String field) {
    return parent.getValue(field) instanceof String s ? s : null;
  }
}
