package io.splitbot.tests.scale;

import io.splitbot.testkit.FakeTelegramApi;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the users of a set of chats saw at the fake Bot API for /echo and /slow updates whose text is "u" +
 * update_id: which updates got no reply, which got more than one, and which chats saw replies out of update order.
 * Only the chats of {@code updates} are looked at, so tests sharing a fake keep apart.
 */
record ReplyCheck(List<Long> lost, List<Long> doubled, Map<Long, List<Long>> outOfOrder, int replies) {

  static ReplyCheck of(FakeTelegramApi fake, List<JsonObject> updates) {
    TreeSet<Long> chats = new TreeSet<>();
    TreeSet<Long> expected = new TreeSet<>();
    for (JsonObject u : updates) {
      chats.add(EdgesDeliverer.chat(u));
      expected.add(u.getLong("update_id"));
    }
    Map<Long, Integer> count = new HashMap<>();
    Map<Long, List<Long>> perChat = new LinkedHashMap<>();
    int replies = 0;
    for (FakeTelegramApi.RecordedCall call : fake.calls("sendMessage")) {
      long chat = Long.parseLong(String.valueOf(call.params().getValue("chat_id")));
      String text = call.params().getString("text", "");
      if (!chats.contains(chat) || !text.startsWith("u")) {
        continue;
      }
      long id = Long.parseLong(text.substring(1));
      replies++;
      count.merge(id, 1, Integer::sum);
      perChat.computeIfAbsent(chat, k -> new ArrayList<>()).add(id);
    }
    List<Long> lost = expected.stream().filter(id -> !count.containsKey(id)).toList();
    List<Long> doubled = count.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
    Map<Long, List<Long>> outOfOrder = new LinkedHashMap<>();
    perChat.forEach((chat, ids) -> {
      for (int i = 1; i < ids.size(); i++) {
        if (ids.get(i - 1) >= ids.get(i)) {
          outOfOrder.put(chat, ids);
          break;
        }
      }
    });
    return new ReplyCheck(lost, doubled, outOfOrder, replies);
  }

  int repliedUpdates(int expected) {
    return expected - lost.size();
  }

  @Override
  public String toString() {
    return "replies=" + replies + " lost=" + lost + " doubled=" + doubled + " chats out of order=" + outOfOrder.size()
        + (outOfOrder.isEmpty() ? "" : " e.g. " + outOfOrder.entrySet().iterator().next());
  }
}
