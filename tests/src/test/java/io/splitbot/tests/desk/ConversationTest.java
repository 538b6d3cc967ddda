package io.splitbot.tests.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.BotMessage;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.TestChat;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.worker.storage.Storage;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.StatusChange;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The /new conversation end to end on the embedded defaults (json store, no Redis), as a user sees it. */
@ExtendWith(VertxExtension.class)
class ConversationTest {
  private FakeTelegramApi fake;
  private DeskHarness desk;

  @BeforeEach
  void start(Vertx vertx) {
    fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    desk = DeskHarness.inProcess(vertx, fake, DeskHarness.env(fake, TestEnv.tempDir("desk-conversation")));
  }

  static String today() {
    return LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyMMdd"));
  }

  @Test
  void aFullConversationWithAWrongPhoneAndAnEditStoresTheRequestFieldByField() {
    TestChat ivan = desk.user(501, "Ivan", "Petrov", "en");

    ivan.send("/new");
    assertTrue(ivan.lastMessage().text().contains("Step 1 of 8"), ivan.lastMessage().text());
    assertTrue(ivan.lastMessage().text().contains("What is the problem"), ivan.lastMessage().text());

    ivan.send("ab");
    assertTrue(ivan.lastMessage().text().startsWith("The title must be 3 to 100 characters long."), ivan.lastMessage().text());
    assertTrue(ivan.lastMessage().text().contains("Step 1 of 8"), "the same question again: " + ivan.lastMessage().text());

    ivan.send("Leaking kitchen tap");
    assertTrue(ivan.lastMessage().text().contains("Step 2 of 8. Describe the problem."), ivan.lastMessage().text());
    ivan.send("The tap drips all night and the sink is full by morning");
    assertTrue(ivan.lastMessage().text().contains("Step 3 of 8"), ivan.lastMessage().text());
    ivan.send("12 Main Street");
    assertTrue(ivan.lastMessage().text().contains("Step 4 of 8"), ivan.lastMessage().text());
    ivan.send("12A");
    assertTrue(ivan.lastMessage().text().contains("Step 5 of 8. Choose the category."), ivan.lastMessage().text());
    assertEquals(List.of("new:cat:plumbing", "new:cat:electrical", "new:cat:heating", "new:cat:cleaning", "new:cat:other"),
        ivan.lastMessage().buttonData());

    ivan.send("no idea");
    assertTrue(ivan.lastMessage().text().startsWith("Please choose one of the buttons."), ivan.lastMessage().text());
    ivan.pressData("new:cat:plumbing");
    assertTrue(ivan.messages().stream().anyMatch(s -> s.text().equals("Category: Plumbing") && s.buttonData().isEmpty()),
        "the question shows the choice and loses its buttons");
    assertTrue(ivan.lastMessage().text().contains("Step 6 of 8. How urgent is it?"), ivan.lastMessage().text());
    ivan.pressData("new:pri:urgent");

    assertTrue(ivan.lastMessage().text().contains("Step 7 of 8"), ivan.lastMessage().text());
    JsonObject contactKeyboard = ivan.lastMessage().replyMarkup();
    assertTrue(contactKeyboard.getJsonArray("keyboard").getJsonArray(0).getJsonObject(0).getBoolean("request_contact"),
        "the phone question offers Telegram's share-contact button: " + contactKeyboard);

    ivan.send("12345");
    assertTrue(ivan.lastMessage().text().startsWith("That is not a phone number I can use"), ivan.lastMessage().text());
    assertTrue(ivan.lastMessage().replyMarkup().containsKey("keyboard"), "asked again with the share-contact button");
    ivan.shareContact("998901234567");
    List<BotMessage> screen = ivan.messages();
    assertEquals("Phone: +998901234567", screen.get(screen.size() - 2).text());
    assertTrue(ivan.lastMessage().text().contains("Step 8 of 8"), ivan.lastMessage().text());
    assertEquals(List.of("👤 Ivan Petrov"), ivan.lastMessage().buttonTexts(), "the contact name is offered from the profile");
    ivan.pressData("new:name");

    String summary = ivan.lastMessage().text();
    assertTrue(summary.startsWith("Please check your request:"), summary);
    assertTrue(summary.contains("Address: 12 Main Street"), summary);
    assertTrue(summary.contains("Contact: Ivan Petrov"), summary);
    assertEquals(List.of("new:ok:1", "new:edit:1", "new:no:1"), ivan.lastMessage().buttonData());

    ivan.pressData("new:edit:1");
    assertTrue(ivan.lastMessage().text().endsWith("What do you want to change?"), ivan.lastMessage().text());
    ivan.pressData("new:f:address");
    assertTrue(ivan.lastMessage().text().startsWith("The address: street and house."), "no step number while editing: " + ivan.lastMessage().text());
    ivan.send("14 Main Street");
    assertTrue(ivan.lastMessage().text().contains("Address: 14 Main Street"), ivan.lastMessage().text());
    assertEquals(List.of("new:ok:2", "new:edit:2", "new:no:2"), ivan.lastMessage().buttonData());

    ivan.pressData("new:ok:2");
    String number = today() + "-001";
    assertTrue(ivan.lastMessage().text().startsWith("Request " + number + " created"), ivan.lastMessage().text());

    System.out.println("[transcript]\n" + String.join("\n", ivan.transcript()));
    Storage storage = desk.storage();
    ServiceRequest r = new DeskStorage(storage).requests().find(number).await().orElseThrow();
    assertEquals(number, r.number());
    assertEquals(501, r.requesterId());
    assertEquals("Leaking kitchen tap", r.title());
    assertEquals("The tap drips all night and the sink is full by morning", r.description());
    assertEquals("14 Main Street", r.address());
    assertEquals("12A", r.apartment());
    assertEquals("plumbing", r.category());
    assertEquals("urgent", r.priority());
    assertEquals("+998901234567", r.phone());
    assertEquals("Ivan Petrov", r.contactName());
    assertFalse(r.isEmergency());
    assertNull(r.estimatedCost());
    assertNull(r.preferredTime());
    assertEquals("new", r.status());
    assertNull(r.executorId());
    List<StatusChange> history = new DeskStorage(storage).history().statusHistory(number).await();
    assertEquals(1, history.size());
    assertNull(history.get(0).fromStatus());
    assertEquals("new", history.get(0).toStatus());
    assertEquals(501, history.get(0).changedBy());
    assertEquals(1, new DeskStorage(storage).requests().search(null, null, 0, 10).await().total(), "exactly one request");
    // the conversation is over in the chat's session, where the runtime keeps it
    JsonObject session = desk.app().worker().resources().sessionStore().get("telegram/501").await();
    assertEquals("done", session.getJsonObject("data").getJsonObject("conversations").getJsonObject("501").getString("step"));

    UserProfile profile = storage.users().find("telegram", 501).await().orElseThrow();
    assertEquals("Ivan", profile.firstName());
    assertEquals("Petrov", profile.lastName());
    assertEquals("en", profile.languageCode());
    assertEquals("webhook", profile.profileSource());

    // the summary lost its buttons; an old Confirm pressed anyway (a second client, a slow network) does nothing
    BotMessage confirmed = ivan.messageContaining("Confirmed as request " + number);
    assertTrue(confirmed.buttonData().isEmpty());
    ivan.pressAnyway(confirmed, "new:ok:2");
    assertEquals(1, new DeskStorage(storage).requests().search(null, null, 0, 10).await().total());
    assertEquals("This button is no longer active.", ivan.callbackAnswers().get(ivan.callbackAnswers().size() - 1));
  }

  @Test
  void cancelWorksAtEveryStepAndTypedChoicesAreAccepted() {
    TestChat olga = desk.user(502, "Olga", null, "en");
    olga.send("/cancel");
    assertEquals("There is nothing to cancel.", olga.lastMessage().text());
    String[] answers = {"Broken socket", "The socket in the hall sparks", "5 Park Lane", "7", "electrical", "emergency", "+998 90 123-45-67"};
    for (int step = 0; step <= answers.length; step++) {
      olga.send("/new");
      for (int i = 0; i < step; i++) {
        olga.send(answers[i]);
      }
      olga.send("/cancel");
      assertTrue(olga.lastMessage().text().startsWith("Cancelled. Nothing was saved."), "cancel after " + step + " answers: " + olga.lastMessage().text());
      olga.send("just chatting");
      assertTrue(olga.lastMessage().text().startsWith("I don't know that one."), olga.lastMessage().text());
    }
    assertEquals(0, new DeskStorage(desk.storage()).requests().search(null, null, 0, 10).await().total());

    // typed names of a category and priority work as well as buttons, in either language
    olga.send("/new");
    for (int i = 0; i < 4; i++) {
      olga.send(answers[i]);
    }
    olga.send("Электрика");
    assertTrue(olga.lastMessage().text().contains("How urgent"), olga.lastMessage().text());
    olga.send("обычный");
    assertTrue(olga.lastMessage().text().contains("Step 7 of 8"), olga.lastMessage().text());
    olga.send("+998 90 123-45-67");
    assertEquals(List.of("👤 Olga"), olga.lastMessage().buttonTexts(), "without a last name the first name is offered");
  }

  @Test
  void aHandlerThatFailsAfterConfirmRunsAgainWithoutASecondRequestOrNumber() {
    TestChat petr = desk.user(503, "Petr", "Sokolov", "en");
    petr.send("/new");
    for (String answer : new String[] {"Radiator is cold", "The radiator in the bedroom stays cold", "3 Hill Road", "4"}) {
      petr.send(answer);
    }
    petr.pressData("new:cat:heating");
    petr.pressData("new:pri:normal");
    petr.send("+998901112233");
    petr.pressData("new:name");
    // the reply after the request is stored fails once: the update runs again
    fake.injectError("sendMessage", 1, 400, "Bad Request: injected");
    petr.pressData("new:ok:1");

    String number = today() + "-001";
    assertEquals("Request " + number + " created", petr.lastMessage().text().lines().findFirst().orElseThrow());
    assertEquals(1, fake.allCalls("sendMessage").stream().filter(c -> c.status() == 400).count(), "the first attempt failed");
    assertEquals(1, petr.replies().stream().filter(r -> !r.edited() && r.text().startsWith("Request " + number + " created")).count());
    assertEquals(1, fake.calls("editMessageText").stream().filter(c -> c.params().getString("text").contains("Confirmed as request")).count(),
        "the summary was edited once");
    assertEquals(1, new DeskStorage(desk.storage()).requests().search(null, null, 0, 10).await().total(), "one request");
    assertEquals(1L, new DeskStorage(desk.storage()).counters().current(today()).await(), "one number taken");
    assertEquals(1, desk.app().worker().stats().failedAttempts.get());
  }
}
