package io.splitbot.desk.cards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.Actor;
import io.splitbot.desk.Desk;
import io.splitbot.desk.DeskConfig;
import io.splitbot.desk.RequestDraft;
import io.splitbot.desk.i18n.Texts;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.worker.storage.model.UserProfile;
import io.splitbot.worker.profile.Profiles;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The card names people from their own platform's profiles, and fits a message on every platform. */
class RequestCardsTest {
  private Vertx vertx;
  private Storage storage;
  private Desk desk;
  private final DeskConfig config = DeskConfig.fromEnv(Map.of("ADMIN_USER_IDS", "900,max:900"));

  @BeforeEach
  void open(@TempDir Path dir) {
    vertx = Vertx.vertx();
    storage = new JsonStorage(vertx, dir.resolve("storage"), false);
    storage.start().await();
    desk = Desk.of(config, storage, null, Profiles.of(storage, null, 3600));
    storage.users().upsert(UserProfile.fromWebhook("max", 7, "Мария", "Иванова", null, "en")).await();
    storage.users().upsert(UserProfile.fromWebhook("telegram", 7, "Telegram", "Seven", null, "en")).await();
  }

  @AfterEach
  void close() {
    storage.close().await();
    vertx.close().await();
  }

  private ServiceRequest file(String description) {
    RequestDraft draft = new RequestDraft("Broken lock", description, "5 Park Lane", "3", "other", "normal",
        "+998901234567", "Мария", false, null, null);
    return desk.service().create(draft, new UserRef("max", 7), desk.service().transientReservation()).await();
  }

  @Test
  void theRequesterIsNamedFromTheirPlatformAndThePlatformWhenItIsNotTheReaders() {
    ServiceRequest r = file("The key does not turn");
    Texts en = desk.messages().forUser("en");
    String onTelegram = desk.cards().render(r, Actor.user(900, config), en).await().text();
    assertTrue(onTelegram.contains("\n🙋 Requester: Мария Иванова (MAX)\n"), onTelegram);
    String onMax = desk.cards().render(r, Actor.user(new UserRef("max", 900), config), en).await().text();
    assertTrue(onMax.contains("\n🙋 Requester: Мария Иванова\n"), onMax);
    assertEquals(List.of("st:" + r.number() + ":new:in_progress", "st:" + r.number() + ":new:cancelled", "an:" + r.number()),
        desk.cards().render(r, Actor.user(new UserRef("max", 900), config), en).await().keyboard().stream()
            .flatMap(List::stream).map(b -> b.data()).toList(), "a MAX admin gets the admin's buttons");
    assertEquals(List.of(), desk.cards().render(r, Actor.user(new UserRef("max", 7), config), en).await().keyboard(),
        "the requester gets none");
  }

  @Test
  void aLongCardIsShownInPagesThatEachFitAMessageAndLeaveNothingOut() {
    String description = "🔧Ж".repeat(1000); // 2000 code points, 3000 UTF-16 units
    ServiceRequest r = file(description);
    Actor author = Actor.user(new UserRef("max", 7), config);
    desk.service().comment(r.number(), author, "short one", "c-0").await();
    List<String> comments = new java.util.ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      String text = (i + "😀щ").repeat(1000); // 3000 code points, 4000 UTF-16 units
      comments.add(text);
      desk.service().comment(r.number(), author, text, "c-" + i).await();
    }
    Texts en = desk.messages().forUser("en");
    Actor admin = Actor.user(900, config);
    RequestCards.Card first = desk.cards().render(r, admin, en).await();
    assertTrue(first.pages() > 4, "pages: " + first.pages());
    StringBuilder all = new StringBuilder();
    for (int p = 0; p < first.pages(); p++) {
      RequestCards.Card card = desk.cards().render(r, admin, en, p).await();
      String text = card.text();
      assertTrue(text.length() <= RequestCards.PAGE_TEXT, "page " + p + " has " + text.length() + " units");
      assertTrue(text.startsWith("Request " + r.number() + " · New · page " + (p + 1) + " of " + first.pages() + "\n"), text);
      assertTrue(text.endsWith("\n\nReply to this message to add a comment."), "every page takes a reply: " + text);
      assertEquals(text, io.splitbot.worker.bot.TextFit.mend(text), "no half of a surrogate pair on page " + p);
      List<String> nav = card.keyboard().get(card.keyboard().size() - 1).stream().map(b -> b.data()).toList();
      List<String> expected = new java.util.ArrayList<>();
      if (p > 0) {
        expected.add("cp:" + r.number() + ":" + (p - 1));
      }
      if (p + 1 < first.pages()) {
        expected.add("cp:" + r.number() + ":" + (p + 1));
      }
      assertEquals(expected, nav, "Back and Next under page " + p);
      all.append(text, text.indexOf('\n') + 1, text.length() - "\n\nReply to this message to add a comment.".length());
    }
    String read = all.toString().replaceAll("[\\s…]", "");
    assertTrue(read.contains(description), "the whole description is on the pages");
    for (String c : comments) {
      assertTrue(read.contains(c), "every comment is on the pages, whole");
    }
    assertTrue(read.indexOf(comments.get(4)) < read.indexOf(comments.get(0)), "newest first");
    assertEquals(desk.cards().render(r, admin, en, first.pages() - 1).await().text(),
        desk.cards().render(r, admin, en, 999).await().text(), "a page past the end shows the last");

    RequestCards.Card plain = desk.cards().render(file("short"), admin, en).await();
    assertEquals(1, plain.pages());
    assertTrue(!plain.text().contains("…") && !plain.text().contains("page 1"), "a card that fits is one page as before: " + plain.text());
    assertTrue(plain.keyboard().stream().flatMap(List::stream).noneMatch(b -> b.data().startsWith("cp:")), "and has no page buttons");
  }
}
