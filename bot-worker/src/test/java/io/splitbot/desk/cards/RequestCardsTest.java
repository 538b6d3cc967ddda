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
  void longCommentsAreShortenedSoTheCardFitsOneMessage() {
    ServiceRequest r = file("d".repeat(2000));
    Actor author = Actor.user(new UserRef("max", 7), config);
    desk.service().comment(r.number(), author, "short one", "c-0").await();
    for (int i = 1; i <= 3; i++) {
      desk.service().comment(r.number(), author, String.valueOf(i).repeat(3000), "c-" + i).await();
    }
    String card = desk.cards().render(r, Actor.user(900, config), desk.messages().forUser("en")).await().text();
    assertTrue(card.length() <= RequestCards.MAX_TEXT, "a card of " + card.length() + " characters");
    assertTrue(card.length() > RequestCards.MAX_TEXT - 10, "shortened no more than it takes: " + card.length());
    assertTrue(card.contains("💬 Comments: 4"), card);
    assertTrue(card.endsWith("Reply to this message to add a comment."), "the end of the card stays");
    for (String n : List.of("1", "2", "3")) {
      assertTrue(card.contains("— Мария Иванова: " + n.repeat(100)), "each comment keeps its start");
    }
    assertTrue(card.contains("…"), card);

    String plain = desk.cards().render(file("short"), Actor.user(900, config), desk.messages().forUser("en")).await().text();
    assertTrue(!plain.contains("…"), "a card that fits is left as it is");
  }
}
