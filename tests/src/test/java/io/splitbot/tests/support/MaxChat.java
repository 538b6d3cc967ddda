package io.splitbot.tests.support;

import io.splitbot.testkit.BotTester;
import io.splitbot.testkit.FakeMaxApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A MAX user's dialog with the bot under test, as {@code TestChat} is a Telegram chat: what the user does is taught to
 * {@link FakeMaxApi} (so it knows the dialog and the pressed keyboard, as MAX would), posted to the edge's
 * {@code /webhook/max} as MAX posts it, and returns once the worker has handled it; what the bot did is read back
 * from the fake. Use it from one test thread.
 */
public final class MaxChat {
  /** Update times only grow, across every dialog of a test run: the edge orders a dialog's updates by them. */
  private static final AtomicLong CLOCK = new AtomicLong(System.currentTimeMillis());

  private final FakeMaxApi fake;
  private final WebhookDeliverer edge;
  private final BotTester worker;
  private final long dialog;
  private final long userId;
  private final String locale;

  /**
   * @param worker counts the updates the worker has handled ({@link BotTester#external} reads its health report)
   * @param locale the user's language as MAX sends it in {@code user_locale}
   */
  public MaxChat(FakeMaxApi fake, WebhookDeliverer edge, BotTester worker, long dialog, long userId, String locale) {
    this.fake = fake;
    this.edge = edge;
    this.worker = worker;
    this.dialog = dialog;
    this.userId = userId;
    this.locale = locale;
  }

  public long dialog() {
    return dialog;
  }

  public long userId() {
    return userId;
  }

  /** The name the user has on MAX (their profile as MaxTestUpdates writes it). */
  public String name() {
    JsonObject user = MaxTestUpdates.user(userId);
    return user.getString("first_name") + " " + user.getString("last_name");
  }

  // ---------------------------------------------------------------- what the user does

  /** Presses Start: MAX's bot_started. */
  public MaxChat start() {
    return deliver(MaxTestUpdates.botStarted(dialog, userId, CLOCK.incrementAndGet()));
  }

  public MaxChat send(String text) {
    long at = CLOCK.incrementAndGet();
    return deliver(MaxTestUpdates.message(dialog, userId, "mid.user%d.%d".formatted(userId, at), at, text));
  }

  /** Answers {@code message} (one of the bot's, from {@link #messages()}) with MAX's reply. */
  public MaxChat replyTo(JsonObject message, String text) {
    long at = CLOCK.incrementAndGet();
    return deliver(MaxTestUpdates.reply(dialog, userId, "mid.user%d.%d".formatted(userId, at), at, text, message));
  }

  /** Presses the callback button carrying {@code payload} on the latest message that shows one. */
  public MaxChat press(String payload) {
    List<JsonObject> shown = messages();
    for (int i = shown.size() - 1; i >= 0; i--) {
      if (payloads(shown.get(i)).contains(payload)) {
        long at = CLOCK.incrementAndGet();
        JsonObject update = MaxTestUpdates.callback(dialog, userId, "cb.%d.%d".formatted(userId, at), payload,
            shown.get(i).getJsonObject("body").getString("mid"), at);
        // the pressed message as the client shows it, keyboard and all
        update.put("message", shown.get(i));
        return deliver(update);
      }
    }
    throw new AssertionError("no message in MAX dialog " + dialog + " has a button with payload '" + payload
        + "'; it shows: " + texts());
  }

  private MaxChat deliver(JsonObject update) {
    update.put("user_locale", locale);
    fake.pushUpdate(update);
    long before = worker.handled();
    try {
      edge.deliver(update, System.nanoTime() + BotTester.TIMEOUT.toNanos());
    } catch (Exception e) {
      throw new AssertionError("MAX update not acknowledged: " + update.encode(), e);
    }
    worker.awaitHandled(before + 1, BotTester.TIMEOUT);
    return this;
  }

  // ---------------------------------------------------------------- what the bot did

  /** The bot's messages in the dialog as the user sees them now (edits applied), oldest first. */
  public List<JsonObject> messages() {
    return fake.messages(dialog);
  }

  public List<String> texts() {
    return messages().stream().map(MaxChat::text).toList();
  }

  public JsonObject lastMessage() {
    List<JsonObject> shown = messages();
    if (shown.isEmpty()) {
      throw new AssertionError("the bot has sent nothing to MAX dialog " + dialog);
    }
    return shown.get(shown.size() - 1);
  }

  public String lastText() {
    return text(lastMessage());
  }

  /** The newest message whose text contains {@code fragment}. */
  public JsonObject messageContaining(String fragment) {
    List<JsonObject> shown = messages();
    for (int i = shown.size() - 1; i >= 0; i--) {
      if (Objects.requireNonNullElse(text(shown.get(i)), "").contains(fragment)) {
        return shown.get(i);
      }
    }
    throw new AssertionError("no message in MAX dialog " + dialog + " contains '" + fragment + "': " + texts());
  }

  /** Waits until the dialog shows a message containing {@code fragment} (one sent while another chat's update ran). */
  public JsonObject awaitMessageContaining(String fragment, Duration timeout) {
    fake.await(() -> texts().stream().anyMatch(t -> t != null && t.contains(fragment)), timeout,
        () -> "MAX dialog " + dialog + " never showed '" + fragment + "': " + texts());
    return messageContaining(fragment);
  }

  public static String text(JsonObject message) {
    return message.getJsonObject("body").getString("text");
  }

  /** The callback payloads of a message's inline keyboard, row by row. */
  public static List<String> payloads(JsonObject message) {
    List<String> out = new ArrayList<>();
    for (Object a : message.getJsonObject("body").getJsonArray("attachments", new JsonArray())) {
      JsonObject attachment = (JsonObject) a;
      if ("inline_keyboard".equals(attachment.getString("type"))) {
        for (Object row : attachment.getJsonObject("payload").getJsonArray("buttons")) {
          for (Object b : (JsonArray) row) {
            out.add(((JsonObject) b).getString("payload"));
          }
        }
      }
    }
    return out;
  }
}
