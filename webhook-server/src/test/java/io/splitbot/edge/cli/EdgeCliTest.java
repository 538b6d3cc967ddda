package io.splitbot.edge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.deadletter.DeadLetter;
import io.splitbot.shared.deadletter.DeadLetterOwner;
import io.splitbot.shared.deadletter.FileDeadLetterStore;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** webhook-server.jar's dead-letter commands against a DATA_DIR, and each bad input's one-line answer. */
@ExtendWith(VertxExtension.class)
class EdgeCliTest {
  @TempDir
  Path dataDir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return new EdgeCli(Map.of("DATA_DIR", dataDir.toString()), new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(List.of(args));
  }

  @Test
  void listsTheEdgesAndTheWorkersLettersAndDropsOne(Vertx vertx) throws Exception {
    assertEquals(0, run("dead-letters", "list"));
    assertTrue(out.toString().contains("No dead letters."), out.toString());

    letter(vertx, DeadLetterOwner.EDGE, 7, "the worker refused it (400): not an update envelope");
    letter(vertx, DeadLetterOwner.WORKER, 5, "the handler is broken");
    assertEquals(0, run("dead-letters", "list"));
    List<String> lines = out.toString().lines().toList();
    assertTrue(lines.get(1).startsWith("5 ") && lines.get(1).contains(" worker "), out.toString());
    assertTrue(lines.get(2).startsWith("7 ") && lines.get(2).contains(" edge ") && lines.get(2).contains("refused it (400)"), out.toString());
    assertTrue(out.toString().contains("2 dead letter(s): 1 at the worker, 1 at the edge."), out.toString());

    assertEquals(0, run("dead-letters", "drop", "7"));
    assertTrue(out.toString().contains("Dropped the edge's dead letter for update 7."), out.toString());
    assertEquals(1, run("dead-letters", "drop", "7", "--from", "edge"));
    assertTrue(err.toString().contains("No dead letter for update 7 at the edge."), err.toString());
  }

  @Test
  void anUpdateAtBothNeedsFrom(Vertx vertx) throws Exception {
    letter(vertx, DeadLetterOwner.EDGE, 9, "refused");
    letter(vertx, DeadLetterOwner.WORKER, 9, "broken");
    assertEquals(2, run("dead-letters", "drop", "9"));
    assertTrue(err.toString().contains("say which with --from worker or --from edge"), err.toString());
    assertEquals(0, run("dead-letters", "drop", "9", "--from", "worker"));
    // The only one left is the edge's; no edge runs here, so the replay stays requested for the next one.
    assertEquals(3, run("dead-letters", "replay", "9", "--wait", "0"), err.toString());
    assertTrue(out.toString().contains("waiting up to 0 s for the edge"), out.toString());
    assertTrue(out.toString().contains("The edge has not delivered it yet"), out.toString());
    assertEquals(0, run("dead-letters", "list"));
    assertTrue(out.toString().contains("(replay requested)"), out.toString());
  }

  @Test
  void badInputGetsOneClearLineAndTheUsage() {
    assertBad(run("dead-letters", "replay", "a b"), "UPDATE must be an update as dead-letters list shows it (5, or max:mid.…), got 'a b'");
    assertBad(run("dead-letters", "replay"), "replay needs an UPDATE (as dead-letters list shows it)");
    assertBad(run("dead-letters", "replay", "1", "--wait", "soon"), "--wait must be a whole number of seconds, got 'soon'");
    assertBad(run("dead-letters", "drop", "1", "--wait", "3"), "unknown option '--wait' for drop");
    assertBad(run("dead-letters", "drop", "1", "2"), "drop takes one UPDATE, got a second one: '2'");
    assertBad(run("dead-letters", "drop", "1", "--from"), "--from needs a value");
    assertBad(run("dead-letters", "purge"), "unknown dead-letters command 'purge'");
    assertBad(run("dead-letter", "list"), "unknown command 'dead-letter'");
    assertEquals(2, run("dead-letters", "drop", "1", "--from", "both"));
    assertTrue(err.toString().contains("--from must be worker or edge, got 'both'."), err.toString());
    assertFalse(err.toString().contains("Exception"), err.toString());
  }

  private void assertBad(int code, String line) {
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().startsWith("error: " + line), err.toString());
    assertTrue(err.toString().contains("usage: java -jar webhook-server.jar dead-letters list"), err.toString());
    assertFalse(err.toString().contains("Exception"), err.toString());
  }

  private void letter(Vertx vertx, DeadLetterOwner owner, long id, String error) {
    UpdateEnvelope update = new UpdateEnvelope(UpdateEnvelope.TELEGRAM, Long.toString(id), "telegram:42", id, "{\"update_id\":" + id + "}");
    new FileDeadLetterStore(vertx, dataDir.resolve(owner.dirName()))
        .put(new DeadLetter(update, error, 3, 1_758_960_000_000L, false)).await();
  }
}
