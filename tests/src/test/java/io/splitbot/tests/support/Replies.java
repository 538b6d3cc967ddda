package io.splitbot.tests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** What the user sees at the fake Bot API for /echo updates: one reply per update, per chat in update_id order. */
public final class Replies {
  private Replies() {
  }

  /** Checks the replies for {@code updates} (built by Updates.echoes) and returns a one-line report. */
  public static String assertExactlyOnceInOrder(FakeTelegramApi fake, List<JsonObject> updates) {
    Map<Long, Integer> count = new HashMap<>();
    Map<String, List<Long>> perChat = new HashMap<>();
    for (FakeTelegramApi.RecordedCall call : fake.calls("sendMessage")) {
      String text = call.params().getString("text");
      if (text == null || !text.startsWith("u")) {
        continue;
      }
      long id = Long.parseLong(text.substring(1));
      count.merge(id, 1, Integer::sum);
      perChat.computeIfAbsent(String.valueOf(call.params().getValue("chat_id")), k -> new ArrayList<>()).add(id);
    }
    TreeSet<Long> expected = new TreeSet<>();
    updates.forEach(u -> expected.add(u.getLong("update_id")));
    long lost = expected.stream().filter(id -> !count.containsKey(id)).count();
    long twice = count.values().stream().filter(n -> n > 1).count();
    String report = "updates=" + expected.size() + " replied=" + count.size() + " lost=" + lost + " replied_twice=" + twice;
    System.out.println("[delivery] " + report);
    assertEquals(0, lost, "lost updates: " + report);
    assertEquals(0, twice, "updates replied twice: " + report);
    assertEquals(expected, new TreeSet<>(count.keySet()), "replies for updates never sent: " + report);
    perChat.forEach((chat, ids) -> {
      for (int i = 1; i < ids.size(); i++) {
        assertTrue(ids.get(i - 1) < ids.get(i), "chat " + chat + " got replies out of update_id order: " + ids);
      }
    });
    return report;
  }
}
