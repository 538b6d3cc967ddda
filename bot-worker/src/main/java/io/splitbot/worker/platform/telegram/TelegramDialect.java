package io.splitbot.worker.platform.telegram;

import io.splitbot.worker.bot.Button;
import io.splitbot.worker.bot.Sender;
import io.splitbot.worker.platform.OutgoingFit;
import io.splitbot.worker.platform.PlatformDialect;
import io.splitbot.worker.platform.PlatformLimits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** Telegram's Bot API: updates carry one field naming their type; answers are sendMessage and friends. */
public final class TelegramDialect implements PlatformDialect {
  public static final TelegramDialect INSTANCE = new TelegramDialect();
  /**
   * The Bot API's documented limits: 1-4096 characters of text, 0-1024 of caption, 0-200 of a callback answer's
   * text, 1-64 bytes of callback_data; it documents no limit on a button's label.
   */
  public static final PlatformLimits LIMITS = new PlatformLimits(4096, 1024, 200, 64, true, 0);

  /** The update types, in the order the Bot API documents them. */
  private static final List<String> TYPES = List.of("message", "edited_message", "channel_post", "edited_channel_post",
      "business_connection", "business_message", "edited_business_message", "deleted_business_messages",
      "message_reaction", "message_reaction_count", "inline_query", "chosen_inline_result", "callback_query",
      "shipping_query", "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member",
      "chat_member", "chat_join_request", "chat_boost", "removed_chat_boost");
  private static final String[] SENDER_CARRIERS = {"message", "edited_message", "callback_query", "inline_query",
      "my_chat_member", "chat_member", "chat_join_request", "business_message", "shipping_query",
      "pre_checkout_query", "chosen_inline_result"};
  /**
   * Telegram's shared stand-ins in {@code from}: @Channel_Bot (a channel's post), @GroupAnonymousBot (an anonymous
   * admin) and 777000 (a channel post forwarded into its discussion group).
   */
  private static final Set<Long> PLACEHOLDER_USERS = Set.of(136817688L, 1087968824L, 777000L);

  private TelegramDialect() {
  }

  @Override
  public String platform() {
    return "telegram";
  }

  @Override
  public String updateType(JsonObject update) {
    for (String type : TYPES) {
      if (update.containsKey(type)) {
        return type;
      }
    }
    return update.fieldNames().stream().filter(f -> !f.equals("update_id")).sorted().findFirst().orElse("unknown");
  }

  @Override
  public boolean isMessage(JsonObject update) {
    return object(update, "message") != null;
  }

  @Override
  public String text(JsonObject update) {
    JsonObject m = object(update, "message");
    return m == null ? null : string(m, "text");
  }

  @Override
  public String repliedToText(JsonObject update) {
    JsonObject replied = object(object(update, "message"), "reply_to_message");
    return replied == null ? null : string(replied, "text");
  }

  @Override
  public String callbackData(JsonObject update) {
    JsonObject query = object(update, "callback_query");
    return query == null ? null : string(query, "data");
  }

  /**
   * The actor: the chat a message was posted on behalf of when there is one (sender_chat), else {@code from}. A
   * channel's or an anonymous admin's message carries a placeholder user shared by everyone posting that way; when
   * only that placeholder is there, the chat it was posted in stands for the actor.
   */
  @Override
  public Sender sender(JsonObject update) {
    for (String field : SENDER_CARRIERS) {
      JsonObject carrier = object(update, field);
      JsonObject onBehalfOf = object(carrier, "sender_chat");
      JsonObject from = object(carrier, "from");
      if (onBehalfOf == null && from != null && from.getValue("id") instanceof Number n
          && PLACEHOLDER_USERS.contains(n.longValue())) {
        onBehalfOf = object(carrier, "chat");
      }
      if (onBehalfOf != null && onBehalfOf.getValue("id") instanceof Number id) {
        return new Sender(platform(), id.longValue(), string(onBehalfOf, "title"), null, string(onBehalfOf, "username"),
            null, false, true);
      }
      if (from != null && from.getValue("id") instanceof Number id) {
        return new Sender(platform(), id.longValue(), string(from, "first_name"), string(from, "last_name"),
            string(from, "username"), string(from, "language_code"), Boolean.TRUE.equals(from.getValue("is_bot")));
      }
    }
    return null;
  }

  @Override
  public String replyTarget(JsonObject update) {
    JsonObject chat = object(message(update), "chat");
    return chat == null || chat.getValue("id") == null ? null : String.valueOf(chat.getValue("id"));
  }

  /** A private chat's id is its user's id. */
  @Override
  public String userTarget(long userId) {
    return Long.toString(userId);
  }

  @Override
  public String callbackMessageId(JsonObject update) {
    JsonObject message = object(object(update, "callback_query"), "message");
    return message == null || message.getValue("message_id") == null ? null : String.valueOf(message.getValue("message_id"));
  }

  /** message, edited_message, or the message a callback button sits on. */
  public static JsonObject message(JsonObject update) {
    JsonObject m = object(update, "message");
    if (m == null) {
      m = object(update, "edited_message");
    }
    return m != null ? m : object(object(update, "callback_query"), "message");
  }

  @Override
  public ApiCall send(String target, String text, List<List<Button>> rows, JsonObject extra) {
    JsonObject params = withKeyboard(extra, rows).put("chat_id", target).put("text", text);
    return new ApiCall("sendMessage", params);
  }

  @Override
  public ApiCall edit(String target, String messageId, String text, List<List<Button>> rows, JsonObject extra) {
    JsonObject params = withKeyboard(extra, rows).put("chat_id", target).put("message_id", Long.parseLong(messageId))
        .put("text", text);
    return new ApiCall("editMessageText", params);
  }

  @Override
  public ApiCall answerCallback(JsonObject update, String notice, boolean alert) {
    JsonObject query = object(update, "callback_query");
    if (query == null || string(query, "id") == null) {
      return null;
    }
    JsonObject params = new JsonObject().put("callback_query_id", string(query, "id"));
    if (notice != null) {
      params.put("text", notice);
      if (alert) {
        params.put("show_alert", true);
      }
    }
    return new ApiCall("answerCallbackQuery", params);
  }

  @Override
  public PlatformLimits limits() {
    return LIMITS;
  }

  /**
   * The texts each method carries: a message's text (sendMessage, editMessageText), a caption (any method with one,
   * and each item of a media group), the notice of answerCallbackQuery, and the inline keyboard of any method.
   */
  @Override
  public void fit(String method, JsonObject params, OutgoingFit fit) {
    switch (method) {
      case "sendMessage", "editMessageText" -> fit.text(params, "text", "entities", "parse_mode");
      case "answerCallbackQuery" -> fit.notice(params, "text");
      default -> fit.caption(params, "caption", "caption_entities", "parse_mode");
    }
    Object media = params.getValue("media");
    if (media instanceof JsonObject item) {
      fit.caption(item, "caption", "caption_entities", "parse_mode");
    } else if (media instanceof JsonArray items) {
      items.forEach(item -> fit.caption(item instanceof JsonObject o ? o : null, "caption", "caption_entities", "parse_mode"));
    }
    if (params.getValue("reply_markup") instanceof JsonObject markup) {
      OutgoingFit.eachButton(markup.getValue("inline_keyboard"),
          (button, row, column) -> fit.callbackData(button, "callback_data", "text", row, column));
    }
  }

  /** Rows of buttons as an inline keyboard markup. */
  public static JsonObject keyboard(List<List<Button>> rows) {
    JsonArray keyboard = new JsonArray();
    for (List<Button> row : rows) {
      JsonArray buttons = new JsonArray();
      row.forEach(b -> buttons.add(new JsonObject().put("text", b.text()).put("callback_data", b.data())));
      keyboard.add(buttons);
    }
    return new JsonObject().put("inline_keyboard", keyboard);
  }

  private static JsonObject withKeyboard(JsonObject extra, List<List<Button>> rows) {
    JsonObject params = extra == null ? new JsonObject() : extra.copy();
    if (rows != null && !rows.isEmpty()) {
      params.put("reply_markup", keyboard(rows));
    }
    return params;
  }

  /** The field when it is an object; null when absent or of another type (the update is the bot's to read). */
  private static JsonObject object(JsonObject parent, String field) {
    return parent != null && parent.getValue(field) instanceof JsonObject o ? o : null;
  }

  private static String string(JsonObject parent, String field) {
    return parent.getValue(field) instanceof String s ? s : null;
  }
}
