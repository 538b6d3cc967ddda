package io.splitbot.tests.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.desk.DeskHarness;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Messages posted on behalf of a chat: every channel posting into a group, and every anonymous admin, arrive with the
 * same placeholder user in {@code from} (Telegram's @Channel_Bot 136817688, @GroupAnonymousBot 1087968824). The actor
 * is the {@code sender_chat}, so two channels are two requesters and neither sees the other's requests.
 */
@ExtendWith(VertxExtension.class)
class ChatSenderIdentityTest {
  private static final long GROUP = -1001000000001L;
  private static final long CHANNEL_A = -1002000000001L;
  private static final long CHANNEL_B = -1002000000002L;
  private static final long CHANNEL_BOT = 136817688L;
  private static final long ANONYMOUS_ADMIN_BOT = 1087968824L;

  private FakeTelegramApi fake;
  private DeskHarness desk;

  @BeforeEach
  void start(Vertx vertx) {
    fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    desk = DeskHarness.inProcess(vertx, fake, DeskHarness.env(fake, TestEnv.tempDir("chat-senders")));
  }

  @Test
  void twoChannelsPostingThroughTheSamePlaceholderUserAreTwoRequesters() {
    file("250101-001", CHANNEL_A, "Channel A's broken lift", "+79990000001");

    post(CHANNEL_BOT, chat(CHANNEL_A, "channel", "Channel A"), "/my");
    String seenByA = lastInGroup();
    assertTrue(seenByA.contains("250101-001"), "channel A sees its own request: " + seenByA);

    post(CHANNEL_BOT, chat(CHANNEL_B, "channel", "Channel B"), "/my");
    String seenByB = lastInGroup();
    assertFalse(seenByB.contains("250101-001"), "channel B must not see channel A's request: " + seenByB);
    assertTrue(seenByB.contains("no requests"), seenByB);

    post(CHANNEL_BOT, chat(CHANNEL_B, "channel", "Channel B"), "/status 250101-001");
    String opened = lastInGroup();
    assertFalse(opened.contains("+79990000001") || opened.contains("broken lift"),
        "channel B cannot open channel A's card: " + opened);
  }

  @Test
  void anAnonymousAdminIsTheGroupNotTheSharedPlaceholder() {
    file("250101-002", ANONYMOUS_ADMIN_BOT, "The placeholder's own request", "+79990000002");

    // sender_chat is the group itself for an anonymous admin
    post(ANONYMOUS_ADMIN_BOT, chat(GROUP, "supergroup", "House chat"), "/my");
    String seen = lastInGroup();
    assertFalse(seen.contains("250101-002"), "an anonymous admin is not the placeholder user: " + seen);

    // the placeholder without sender_chat (as older clients sent it): still not one shared person
    deliver(message(ANONYMOUS_ADMIN_BOT, null, "/my"));
    assertFalse(lastInGroup().contains("250101-002"), lastInGroup());

    Optional<UserProfile> placeholder = desk.app().worker().resources().profiles()
        .find("telegram", ANONYMOUS_ADMIN_BOT).await();
    assertEquals(Optional.empty(), placeholder, "no profile is kept for the placeholder user");
  }

  private void file(String number, long requester, String title, String phone) {
    new DeskStorage(desk.storage()).requests().create(new ServiceRequest(number, "telegram", requester, title,
        "Nothing works since Monday", "1 Main Street", "1", "other", "normal", phone, "Someone", false, null, null,
        null, "telegram", null, null, null)).await();
  }

  private void post(long placeholder, JsonObject senderChat, String text) {
    deliver(message(placeholder, senderChat, text));
  }

  private void deliver(JsonObject message) {
    long u = desk.tester().nextUpdateId();
    desk.tester().deliver(new JsonObject().put("update_id", u).put("message", message.put("message_id", 10_000 + u)));
  }

  private static JsonObject message(long placeholder, JsonObject senderChat, String text) {
    JsonObject m = new JsonObject()
        .put("date", System.currentTimeMillis() / 1000)
        .put("chat", chat(GROUP, "supergroup", "House chat"))
        .put("from", new JsonObject().put("id", placeholder).put("is_bot", true).put("first_name", "Group"))
        .put("text", text);
    return senderChat == null ? m : m.put("sender_chat", senderChat);
  }

  private static JsonObject chat(long id, String type, String title) {
    return new JsonObject().put("id", id).put("type", type).put("title", title);
  }

  private String lastInGroup() {
    List<JsonObject> shown = fake.messages(String.valueOf(GROUP));
    return shown.isEmpty() ? "" : shown.get(shown.size() - 1).getString("text");
  }
}
