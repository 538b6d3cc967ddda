package io.splitbot.edge.platform.max;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.edge.platform.max.MaxUpdates.ReplyTarget;
import io.splitbot.shared.update.MalformedUpdateException;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** MAX updates as the schema and the official client's recorded payloads show them (docs/MAX.md). */
class MaxUpdatesTest {
  private static final long DIALOG = 501_234_567L;
  private static final long GROUP = -70_123_456_789_012L;
  private static final String USER = """
      {"user_id": 7001, "first_name": "Anna", "last_name": "Petrova", "is_bot": false,
       "last_activity_time": 1775025580000, "name": "Anna Petrova"}""";
  private static final String BOT = """
      {"user_id": 9001, "first_name": "Desk", "username": "desk_bot", "is_bot": true, "name": "Desk"}""";

  private static JsonObject messageCreated() {
    return new JsonObject("""
        {"update_type": "message_created", "timestamp": 1775025604499, "user_locale": "ru",
         "message": {"sender": %s,
                     "recipient": {"chat_id": %d, "chat_type": "dialog", "user_id": 9001},
                     "timestamp": 1775025604400,
                     "body": {"mid": "mid.0000000a1b2c3d4e", "seq": 116327994376978687, "text": "/start"}}}
        """.formatted(USER, DIALOG));
  }

  private static JsonObject messageEdited(long at, String text) {
    return new JsonObject("""
        {"update_type": "message_edited", "timestamp": %d,
         "message": {"sender": %s,
                     "recipient": {"chat_id": %d, "chat_type": "dialog", "user_id": 9001},
                     "timestamp": 1775025604400,
                     "body": {"mid": "mid.0000000a1b2c3d4e", "seq": 116327994376978687, "text": "%s"}}}
        """.formatted(at, USER, DIALOG, text));
  }

  private static JsonObject callback(long at, String callbackId) {
    return new JsonObject("""
        {"update_type": "message_callback", "timestamp": %d, "user_locale": "en-US",
         "callback": {"timestamp": %d, "callback_id": "%s", "payload": "ticket:42:close", "user": %s},
         "message": {"sender": %s,
                     "recipient": {"chat_id": %d, "chat_type": "dialog", "user_id": 7001},
                     "timestamp": 1775025600000,
                     "body": {"mid": "mid.0000000bbbbbbbb1", "seq": 116327994376978690, "text": "Close ticket 42?",
                              "attachments": [{"type": "inline_keyboard", "payload": {"buttons":
                                [[{"type": "callback", "text": "Close", "payload": "ticket:42:close"}]]}}]}}}
        """.formatted(at, at, callbackId, USER, BOT, DIALOG));
  }

  private static JsonObject chatUserUpdate(String type, long chatId) {
    return new JsonObject("""
        {"update_type": "%s", "timestamp": 1775025604499, "chat_id": %d, "user": %s}
        """.formatted(type, chatId, USER));
  }

  @Test
  void theUpdateTypesAreTheSchemasInItsOrder() {
    assertEquals(19, MaxUpdates.UPDATE_TYPES.size());
    assertEquals(19, Set.copyOf(MaxUpdates.UPDATE_TYPES).size());
    assertEquals("message_created", MaxUpdates.UPDATE_TYPES.get(0));
    assertEquals("message_callback", MaxUpdates.UPDATE_TYPES.get(1));
    assertEquals("bot_admin_permissions_changed", MaxUpdates.UPDATE_TYPES.get(18));
    assertTrue(MaxUpdates.UPDATE_TYPES.containsAll(List.of("bot_started", "bot_stopped", "dialog_removed", "user_added")));
  }

  @Test
  void aMessageInADialogIsKeyedByItsMidAndBelongsToTheDialog() {
    JsonObject update = messageCreated();
    assertEquals("message_created", MaxUpdates.updateType(update));
    assertEquals(1775025604499L, MaxUpdates.timestamp(update));
    assertEquals("mid.0000000a1b2c3d4e", MaxUpdates.dedupKey(update));
    assertEquals(String.valueOf(DIALOG), MaxUpdates.chatKey(update));
    assertEquals("Anna", MaxUpdates.sender(update).getString("first_name"));
    assertEquals(7001L, MaxUpdates.senderId(update));
    assertEquals("/start", MaxUpdates.text(update));
    assertEquals("ru", MaxUpdates.locale(update));
    assertEquals("dialog", MaxUpdates.chatType(update));
    assertEquals("mid.0000000a1b2c3d4e", MaxUpdates.messageId(update));
    assertEquals(new ReplyTarget("chat_id", DIALOG), MaxUpdates.replyTarget(update));
    assertNull(MaxUpdates.callbackId(update));
    assertNull(MaxUpdates.callbackPayload(update));
    assertNull(MaxUpdates.startPayload(update));
  }

  @Test
  void aRedeliveryHasTheSameKeysEvenWithAFreshActivityTime() {
    JsonObject first = messageCreated();
    JsonObject again = new JsonObject(first.encode());
    again.getJsonObject("message").getJsonObject("sender").put("last_activity_time", 1775029999000L);
    assertEquals(MaxUpdates.dedupKey(first), MaxUpdates.dedupKey(again));
    assertEquals(MaxUpdates.chatKey(first), MaxUpdates.chatKey(again));
    assertEquals(MaxUpdates.dedupKey(callback(1775026702210L, "cbA")), MaxUpdates.dedupKey(callback(1775026702210L, "cbA")));
  }

  @Test
  void anEditIsNotTakenForTheCreationNorForAnotherEdit() {
    String created = MaxUpdates.dedupKey(messageCreated());
    String firstEdit = MaxUpdates.dedupKey(messageEdited(1775025700000L, "/start please"));
    String secondEdit = MaxUpdates.dedupKey(messageEdited(1775025800000L, "/help"));
    assertEquals("edited:mid.0000000a1b2c3d4e:1775025700000", firstEdit);
    assertNotEquals(created, firstEdit);
    assertNotEquals(firstEdit, secondEdit);
    assertEquals(firstEdit, MaxUpdates.dedupKey(messageEdited(1775025700000L, "/start please")));
    assertEquals(MaxUpdates.chatKey(messageCreated()), MaxUpdates.chatKey(messageEdited(1775025700000L, "x")));
    assertEquals("/help", MaxUpdates.text(messageEdited(1775025800000L, "/help")));
  }

  @Test
  void aRemovalIsKeyedApartFromTheCreationOfTheSameMid() {
    JsonObject removed = new JsonObject("""
        {"update_type": "message_removed", "timestamp": 1775025900000,
         "message_id": "mid.0000000a1b2c3d4e", "chat_id": %d, "user_id": 7001}""".formatted(GROUP));
    assertEquals("removed:mid.0000000a1b2c3d4e", MaxUpdates.dedupKey(removed));
    assertEquals(String.valueOf(GROUP), MaxUpdates.chatKey(removed));
    assertEquals("mid.0000000a1b2c3d4e", MaxUpdates.messageId(removed));
    assertNull(MaxUpdates.sender(removed));
    assertEquals(7001L, MaxUpdates.senderId(removed));
    assertNull(MaxUpdates.text(removed));
    assertEquals(new ReplyTarget("chat_id", GROUP), MaxUpdates.replyTarget(removed));
  }

  @Test
  void aButtonPressIsKeyedByCallbackIdAndTime() {
    JsonObject press = callback(1775026702210L, "f9LHodD0cOJf4_DkJGeq8Bk");
    assertEquals("callback:f9LHodD0cOJf4_DkJGeq8Bk:1775026702210", MaxUpdates.dedupKey(press));
    assertEquals(String.valueOf(DIALOG), MaxUpdates.chatKey(press));
    assertEquals("f9LHodD0cOJf4_DkJGeq8Bk", MaxUpdates.callbackId(press));
    assertEquals("ticket:42:close", MaxUpdates.callbackPayload(press));
    assertEquals("en-US", MaxUpdates.locale(press));
    assertEquals("mid.0000000bbbbbbbb1", MaxUpdates.messageId(press));
    // The pressing user, not the bot that sent the message with the keyboard.
    assertEquals(7001L, MaxUpdates.senderId(press));
    assertNull(MaxUpdates.text(press));
    // A second press of the same keyboard (if MAX reuses the id) is a new update.
    assertNotEquals(MaxUpdates.dedupKey(press), MaxUpdates.dedupKey(callback(1775026709999L, "f9LHodD0cOJf4_DkJGeq8Bk")));
  }

  @Test
  void aPressOnADeletedMessageBelongsToTheUser() {
    JsonObject press = callback(1775026702210L, "cbB");
    press.putNull("message");
    assertEquals("user:7001", MaxUpdates.chatKey(press));
    assertEquals(new ReplyTarget("user_id", 7001), MaxUpdates.replyTarget(press));
    assertNull(MaxUpdates.messageId(press));
    assertNull(MaxUpdates.chatType(press));
    press.remove("message");
    assertEquals("user:7001", MaxUpdates.chatKey(press));
  }

  @Test
  void aMessageWithoutChatIdBelongsToItsSender() {
    JsonObject update = messageCreated();
    update.getJsonObject("message").getJsonObject("recipient").putNull("chat_id");
    assertEquals("user:7001", MaxUpdates.chatKey(update));
    assertEquals(new ReplyTarget("user_id", 7001), MaxUpdates.replyTarget(update));
  }

  @Test
  void aChannelPostHasNoSender() {
    JsonObject post = new JsonObject("""
        {"update_type": "message_created", "timestamp": 1775053255737,
         "message": {"recipient": {"chat_id": -695695695695, "chat_type": "channel"}, "timestamp": 1775053255700,
                     "body": {"mid": "mid.ffffbdb48e6c3775", "seq": 1, "text": "News"}}}""");
    assertNull(MaxUpdates.sender(post));
    assertNull(MaxUpdates.senderId(post));
    assertNull(MaxUpdates.locale(post));
    assertEquals("-695695695695", MaxUpdates.chatKey(post));
    assertEquals("channel", MaxUpdates.chatType(post));
  }

  @Test
  void chatAndUserEventsAreKeyedByTypeChatUserAndTime() {
    for (String type : List.of("bot_added", "bot_removed", "user_added", "user_removed", "bot_started", "bot_stopped",
        "dialog_cleared", "dialog_removed", "dialog_muted", "dialog_unmuted", "chat_title_changed")) {
      JsonObject update = chatUserUpdate(type, GROUP);
      assertEquals(type + ":" + GROUP + ":7001:1775025604499", MaxUpdates.dedupKey(update), type);
      assertEquals(String.valueOf(GROUP), MaxUpdates.chatKey(update), type);
      assertEquals("Anna", MaxUpdates.sender(update).getString("first_name"), type);
      assertNull(MaxUpdates.text(update), type);
      assertNull(MaxUpdates.messageId(update), type);
    }
  }

  @Test
  void botStartedCarriesTheDeepLinkPayloadAndTheLocale() {
    JsonObject started = chatUserUpdate("bot_started", DIALOG).put("payload", "ref-site").put("user_locale", "ru")
        .put("user_id", 7001);
    assertEquals("ref-site", MaxUpdates.startPayload(started));
    assertEquals("ru", MaxUpdates.locale(started));
    assertEquals("dialog", MaxUpdates.chatType(started));
    // The dialog's messages and its start queue together.
    assertEquals(MaxUpdates.chatKey(messageCreated()), MaxUpdates.chatKey(started));
    assertNull(MaxUpdates.startPayload(chatUserUpdate("bot_stopped", DIALOG).put("payload", "ignored")));
  }

  @Test
  void commentsAndPermissionChangesHaveTheirOwnKeys() {
    JsonObject comment = new JsonObject("""
        {"update_type": "comment_created", "timestamp": 1788528471428,
         "message": {"sender": %s, "recipient": {"chat_type": "channel", "chat_id": -695695695695, "post_id": "mid.post1"},
                     "timestamp": 1788528471428, "body": {"mid": "mid.comment1", "seq": 5, "text": "Nice"}}}
        """.formatted(USER));
    assertEquals("comment:mid.comment1", MaxUpdates.dedupKey(comment));
    assertEquals("Nice", MaxUpdates.text(comment));
    JsonObject edited = comment.copy().put("update_type", "comment_edited");
    assertEquals("comment_edited:mid.comment1:1788528471428", MaxUpdates.dedupKey(edited));
    JsonObject removed = new JsonObject("""
        {"update_type": "comment_removed", "timestamp": 1788528479999, "message_id": "mid.comment1",
         "chat_id": -695695695695, "user_id": 7001, "post_id": "mid.post1"}""");
    assertEquals("comment_removed:mid.comment1", MaxUpdates.dedupKey(removed));
    assertEquals("-695695695695", MaxUpdates.chatKey(removed));
    JsonObject permissions = new JsonObject("""
        {"update_type": "bot_admin_permissions_changed", "timestamp": 1775025604499, "chat_id": %d,
         "user_id": 7001, "bot_id": 9001, "is_channel": false, "is_admin": true, "permissions": ["read_all_messages"]}
        """.formatted(GROUP));
    assertEquals("bot_admin_permissions_changed:" + GROUP + ":7001:1775025604499", MaxUpdates.dedupKey(permissions));
    assertNull(MaxUpdates.sender(permissions));
    assertEquals(7001L, MaxUpdates.senderId(permissions));
  }

  @Test
  void differentUpdatesNeverShareAKey() {
    List<JsonObject> updates = List.of(messageCreated(), messageEdited(1775025700000L, "a"),
        messageEdited(1775025700001L, "a"), callback(1775026702210L, "cbA"), callback(1775026702210L, "cbB"),
        chatUserUpdate("bot_started", DIALOG), chatUserUpdate("bot_stopped", DIALOG),
        chatUserUpdate("bot_started", DIALOG).put("timestamp", 1775025604500L),
        chatUserUpdate("user_added", GROUP), chatUserUpdate("user_removed", GROUP),
        new JsonObject("{\"update_type\": \"message_removed\", \"timestamp\": 1, \"message_id\": \"mid.0000000a1b2c3d4e\","
            + " \"chat_id\": 1, \"user_id\": 2}"),
        new JsonObject("{\"update_type\": \"message_chat_created\", \"timestamp\": 1775025604499, \"chat\": {\"chat_id\": 5}}"),
        new JsonObject("{\"update_type\": \"message_chat_created\", \"timestamp\": 1775025604499, \"chat\": {\"chat_id\": 6}}"));
    Set<String> keys = new HashSet<>();
    for (JsonObject update : updates) {
      assertTrue(keys.add(MaxUpdates.dedupKey(update)), "duplicate key for " + update.encode());
    }
  }

  @Test
  void anUnknownTypeIsKeyedByAHashOfItsBodyAndStillRouted() {
    JsonObject created = new JsonObject("""
        {"update_type": "message_chat_created", "timestamp": 1775025604499,
         "chat": {"chat_id": -7001, "type": "chat", "title": "Support"}, "message_id": "mid.x", "start_payload": "s",
         "user": {"user_id": 7001, "first_name": "Anna", "is_bot": false, "last_activity_time": 1}}""");
    String key = MaxUpdates.dedupKey(created);
    assertTrue(key.matches("message_chat_created:1775025604499:[0-9a-f]{32}"), key);
    // The same update with its fields in another order and a fresher activity time is the same update.
    JsonObject reordered = new JsonObject("""
        {"user": {"last_activity_time": 99, "is_bot": false, "first_name": "Anna", "user_id": 7001},
         "start_payload": "s", "message_id": "mid.x", "timestamp": 1775025604499,
         "chat": {"title": "Support", "type": "chat", "chat_id": -7001}, "update_type": "message_chat_created"}""");
    assertEquals(key, MaxUpdates.dedupKey(reordered));
    assertNotEquals(key, MaxUpdates.dedupKey(reordered.copy().put("start_payload", "t")));
    assertEquals("-7001", MaxUpdates.chatKey(created));
    assertEquals(7001L, MaxUpdates.senderId(created));
    assertNull(MaxUpdates.text(created));
  }

  @Test
  void anUnknownTypeFindsItsChatLenientlyAndNeverHasANullKey() {
    Function<String, JsonObject> unknown = fields -> new JsonObject(
        "{\"update_type\": \"poll_answered\", \"timestamp\": 10" + fields + "}");
    assertEquals("42", MaxUpdates.chatKey(unknown.apply(", \"chat_id\": 42")));
    assertEquals("43", MaxUpdates.chatKey(unknown.apply(", \"message\": {\"recipient\": {\"chat_id\": 43}}")));
    assertEquals("user:44", MaxUpdates.chatKey(unknown.apply(", \"user\": {\"user_id\": 44}")));
    assertEquals("user:45", MaxUpdates.chatKey(unknown.apply(", \"chat_id\": \"not a number\", \"user_id\": 45")));
    JsonObject bare = unknown.apply("");
    assertEquals("update:" + MaxUpdates.dedupKey(bare), MaxUpdates.chatKey(bare));
    assertNull(MaxUpdates.replyTarget(bare));
    assertNull(MaxUpdates.sender(bare));
  }

  @Test
  void missingAndMistypedFieldsAreNamedByTheirPath() {
    assertMalformed("update_type is missing", MaxUpdates::dedupKey, new JsonObject().put("timestamp", 1));
    assertMalformed("update_type must be a string", MaxUpdates::updateType, new JsonObject().put("update_type", 5));
    assertMalformed("timestamp is missing", MaxUpdates::timestamp, new JsonObject().put("update_type", "bot_started"));
    assertMalformed("timestamp must be an integer", MaxUpdates::timestamp, messageCreated().put("timestamp", "1775025604499"));
    assertMalformed("timestamp must be an integer", MaxUpdates::timestamp, messageCreated().put("timestamp", 1.5));
    assertMalformed("timestamp must be a non-negative integer", MaxUpdates::timestamp, messageCreated().put("timestamp", -1));
    assertMalformed("message is missing", MaxUpdates::dedupKey, messageCreated().put("message", (Object) null));
    assertMalformed("message must be an object", MaxUpdates::chatKey, messageCreated().put("message", "hi"));

    JsonObject numericMid = messageCreated();
    numericMid.getJsonObject("message").getJsonObject("body").put("mid", 12);
    assertMalformed("message.body.mid must be a string", MaxUpdates::dedupKey, numericMid);
    JsonObject emptyMid = messageCreated();
    emptyMid.getJsonObject("message").getJsonObject("body").put("mid", "");
    assertMalformed("message.body.mid must not be empty", MaxUpdates::dedupKey, emptyMid);
    JsonObject noBody = messageCreated();
    noBody.getJsonObject("message").remove("body");
    assertMalformed("message.body is missing", MaxUpdates::text, noBody);
    JsonObject numericText = messageCreated();
    numericText.getJsonObject("message").getJsonObject("body").put("text", 3);
    assertMalformed("message.body.text must be a string", MaxUpdates::text, numericText);
    JsonObject textChat = messageCreated();
    textChat.getJsonObject("message").getJsonObject("recipient").put("chat_id", "501234567");
    assertMalformed("message.recipient.chat_id must be an integer", MaxUpdates::chatKey, textChat);
    JsonObject noRecipient = messageCreated();
    noRecipient.getJsonObject("message").remove("recipient");
    assertMalformed("message.recipient is missing", MaxUpdates::chatKey, noRecipient);
    JsonObject stringSender = messageCreated();
    stringSender.getJsonObject("message").put("sender", "Anna");
    assertMalformed("message.sender must be an object", MaxUpdates::sender, stringSender);

    JsonObject textUserId = callback(1, "cb");
    textUserId.getJsonObject("callback").getJsonObject("user").put("user_id", "7001");
    assertMalformed("callback.user.user_id must be an integer", MaxUpdates::sender, textUserId);
    JsonObject noCallbackId = callback(1, "cb");
    noCallbackId.getJsonObject("callback").remove("callback_id");
    assertMalformed("callback.callback_id is missing", MaxUpdates::callbackId, noCallbackId);
    JsonObject numericPayload = callback(1, "cb");
    numericPayload.getJsonObject("callback").put("payload", 42);
    assertMalformed("callback.payload must be a string", MaxUpdates::callbackPayload, numericPayload);
    assertMalformed("callback is missing", MaxUpdates::dedupKey, callback(1, "cb").put("callback", (Object) null));

    assertMalformed("chat_id is missing", MaxUpdates::chatKey, chatUserUpdate("bot_started", 1).put("chat_id", (Object) null));
    assertMalformed("user is missing", MaxUpdates::dedupKey, chatUserUpdate("user_added", 1).put("user", (Object) null));
    assertMalformed("user.user_id must be an integer", MaxUpdates::sender,
        chatUserUpdate("bot_added", 1).put("user", new JsonObject().put("user_id", 1.5)));
    assertMalformed("user_locale must be a string", MaxUpdates::locale, messageCreated().put("user_locale", 7));
    assertMalformed("message_id is missing", MaxUpdates::dedupKey,
        new JsonObject("{\"update_type\": \"message_removed\", \"timestamp\": 1, \"chat_id\": 1, \"user_id\": 2}"));
  }

  private static void assertMalformed(String reason, Function<JsonObject, Object> read, JsonObject update) {
    MalformedUpdateException e = assertThrows(MalformedUpdateException.class, () -> read.apply(update));
    assertEquals(reason, e.getMessage());
  }
}
