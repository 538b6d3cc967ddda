package io.splitbot.tests.bench;

import io.splitbot.tests.support.Updates;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The updates the benchmark posts: text messages, commands, button presses and edits over many chats, as Telegram
 * sends them. Each body is built from a pre-encoded template around a fresh update_id, so the driver spends
 * almost nothing per request and no two requests share an update_id.
 */
final class Corpus {
  private static final String[] TEXTS = {
    "hello", "Hi! The heating in room 214 is broken again, can someone come today?",
    "where is my request?", "thanks a lot", "The printer on the 3rd floor jams on every page",
    "ok", "Can I change the address on my request 250927-001?", "👍", "no water pressure in the kitchen",
  };
  private static final String[] COMMANDS = {"/start", "/help", "/echo ping", "/echo status please"};
  private static final String[] CALLBACK_DATA = {"status:open", "status:done", "page:2", "assign:me"};

  /** One template: the body is {@code prefix + update_id + suffix}. */
  private record Template(byte[] suffix, String kind) {
  }

  private static final byte[] PREFIX = "{\"update_id\":".getBytes(StandardCharsets.UTF_8);

  private final List<Template> templates = new ArrayList<>();
  private final int chats;

  private Corpus(int chats) {
    this.chats = chats;
  }

  /**
   * {@code size} templates over {@code chats} chats (a tenth of them groups): 45% text messages, 15% commands,
   * 20% callback queries, 20% edited messages.
   */
  static Corpus realistic(int size, int chats, long seed) {
    Corpus corpus = new Corpus(chats);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < size; i++) {
      long chat = 7_000_000L + (i % chats);
      if (i % 10 == 9) {
        chat = -1_001_000_000_000L - (i % chats); // a supergroup
      }
      int roll = random.nextInt(100);
      JsonObject update;
      String kind;
      if (roll < 45) {
        update = Updates.message(0, chat, TEXTS[random.nextInt(TEXTS.length)]);
        kind = "message";
      } else if (roll < 60) {
        update = Updates.message(0, chat, COMMANDS[random.nextInt(COMMANDS.length)]);
        kind = "command";
      } else if (roll < 80) {
        update = Updates.callback(0, chat, CALLBACK_DATA[random.nextInt(CALLBACK_DATA.length)]);
        kind = "callback_query";
      } else {
        update = Updates.edited(0, chat, TEXTS[random.nextInt(TEXTS.length)]);
        kind = "edited_message";
      }
      corpus.templates.add(template(update, kind));
    }
    return corpus;
  }

  /** {@code /echo u<update_id>} to chat {@code 8_000_000 + update_id % chats}: the reply's text names its update. */
  static Buffer echo(long updateId, int chats) {
    long chat = 8_000_000L + (updateId % chats);
    return Buffer.buffer(Updates.message(updateId, chat, "/echo u" + updateId).encode());
  }

  private static Template template(JsonObject update, String kind) {
    String encoded = update.encode();
    String head = "{\"update_id\":0";
    if (!encoded.startsWith(head)) {
      throw new IllegalStateException("update_id must come first: " + encoded);
    }
    return new Template(encoded.substring(head.length()).getBytes(StandardCharsets.UTF_8), kind);
  }

  Buffer body(long updateId) {
    Template t = templates.get((int) (updateId % templates.size()));
    byte[] id = Long.toString(updateId).getBytes(StandardCharsets.US_ASCII);
    Buffer buffer = Buffer.buffer(PREFIX.length + id.length + t.suffix().length);
    return buffer.appendBytes(PREFIX).appendBytes(id).appendBytes(t.suffix());
  }

  int chats() {
    return chats;
  }

  /** "45% message, 15% command, …" as generated, and the mean body size. */
  String describe() {
    long total = templates.size();
    java.util.Map<String, Long> byKind = new java.util.TreeMap<>();
    long bytes = 0;
    for (Template t : templates) {
      byKind.merge(t.kind(), 1L, Long::sum);
      bytes += PREFIX.length + 10 + t.suffix().length;
    }
    StringBuilder out = new StringBuilder();
    byKind.forEach((kind, n) -> out.append(out.length() == 0 ? "" : ", ").append(Math.round(100.0 * n / total)).append("% ").append(kind));
    return out + "; " + chats + " chats (1 in 10 a group); mean body " + (bytes / total) + " bytes";
  }
}
