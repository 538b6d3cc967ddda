package io.splitbot.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the ops console's "in flight per chat" reads: each chat's running task and the ones waiting behind it. */
class ChatSequencerTest {

  @Test
  void eachChatShowsWhetherATaskRunsAndHowManyWaitTheLongestQueueFirst() {
    ChatSequencer sequencer = new ChatSequencer(2);
    Promise<Void> a1 = Promise.promise();
    Promise<Void> b1 = Promise.promise();
    long before = System.currentTimeMillis();
    sequencer.submit("a", 1, () -> a1.future());
    sequencer.submit("a", 2, () -> Future.succeededFuture());
    sequencer.submit("b", 3, () -> b1.future());
    sequencer.submit("b", 4, () -> Future.succeededFuture());
    sequencer.submit("b", 5, () -> Future.succeededFuture());
    sequencer.submit("c", 6, () -> Future.succeededFuture()); // waits for a slot: two chats run at most

    List<ChatSequencer.ChatLoad> chats = sequencer.chats();
    assertEquals(List.of("b", "a", "c"), chats.stream().map(ChatSequencer.ChatLoad::chat).toList());
    assertEquals(List.of(2, 1, 1), chats.stream().map(ChatSequencer.ChatLoad::queued).toList());
    assertEquals(List.of(true, true, false), chats.stream().map(ChatSequencer.ChatLoad::running).toList());
    assertTrue(chats.get(0).runningSinceMillis() >= before);

    b1.complete();
    a1.complete();
    assertEquals(List.of(), sequencer.chats(), "everything ran");
  }
}
