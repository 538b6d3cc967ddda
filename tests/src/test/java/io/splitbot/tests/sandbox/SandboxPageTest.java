package io.splitbot.tests.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.support.Browser;
import io.splitbot.tests.support.HttpClients;
import io.splitbot.worker.sandbox.BotApiEmulator;
import io.splitbot.worker.sandbox.SandboxApi;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The chat page against the emulator with the test as the bot, calling the Bot API itself: formatting (HTML,
 * MarkdownV2, entities) is drawn with the page's own elements and nothing of the bot's markup runs; an inline button
 * sends a callback query; an alert answer shows until dismissed; an edit changes the message where it is; a reply
 * keyboard stands in for the text field until the bot removes it.
 */
class SandboxPageTest {
  private static final String TOKEN = "100001:sandbox-page-test-token-00000";

  private Vertx vertx;
  private BotApiEmulator emulator;
  private int port;
  private final HttpClient http = HttpClients.http1(Duration.ofSeconds(2));

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    emulator = new BotApiEmulator(vertx, TOKEN, "Sandbox", "sandbox_bot");
    emulator.start().await();
    Router router = Router.router(vertx);
    new SandboxApi(vertx, emulator).mount(router);
    port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await().actualPort();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void theBotsFormattingButtonsEditsAndKeyboardsAsAMessengerShowsThem() throws Exception {
    try (Browser browser = Browser.open()) {
      browser.get("http://127.0.0.1:" + port + "/sandbox");
      browser.await(By.cssSelector("input[aria-label='Message']"));
      String title = browser.driver().getTitle();

      JsonObject yes = new JsonObject().put("inline_keyboard", new JsonArray().add(new JsonArray()
          .add(new JsonObject().put("text", "Yes").put("callback_data", "yes"))));
      long html = send(new JsonObject().put("text", "<b>bold</b> <i>it</i> <a href=\"javascript:document.title='x'\">bad</a> "
          + "<a href=\"https://example.org/\">good</a><img src=x onerror=\"document.title='injected'\"> <tg-spoiler>secret</tg-spoiler>")
          .put("parse_mode", "HTML").put("reply_markup", yes));
      WebElement first = message(browser, html);
      assertEquals("bold", first.findElement(By.cssSelector(".text strong")).getText());
      assertEquals("it", first.findElement(By.cssSelector(".text em")).getText());
      List<WebElement> links = first.findElements(By.cssSelector(".text a[href]"));
      assertEquals(1, links.size(), "only the https link keeps its href");
      assertEquals("https://example.org/", links.get(0).getDomAttribute("href"));
      assertTrue(first.findElements(By.cssSelector("img, script")).isEmpty(), first.getDomProperty("innerHTML"));
      assertEquals(1, first.findElements(By.cssSelector(".spoiler")).size());
      assertEquals(title, browser.driver().getTitle(), "nothing of the bot's markup ran");

      long markdown = send(new JsonObject().put("text", "*bold* _italic_ __under__ ~strike~ \\*not\\*").put("parse_mode", "MarkdownV2"));
      WebElement second = message(browser, markdown);
      assertEquals("bold", second.findElement(By.cssSelector(".text strong")).getText());
      assertEquals("italic", second.findElement(By.cssSelector(".text em")).getText());
      assertEquals("under", second.findElement(By.cssSelector(".text u")).getText());
      assertEquals("strike", second.findElement(By.cssSelector(".text s")).getText());
      assertEquals("bold italic under strike *not*", second.findElement(By.cssSelector(".text")).getText());

      long entities = send(new JsonObject().put("text", "hello world").put("entities", new JsonArray()
          .add(new JsonObject().put("type", "bold").put("offset", 6).put("length", 5))));
      assertEquals("world", message(browser, entities).findElement(By.cssSelector(".text strong")).getText());
      browser.screenshot("sandbox-formatting");

      // an inline button is a callback query from the user, with the message it is on
      button(browser, "Yes").click();
      JsonObject query = awaitUpdate("callback_query");
      assertEquals("yes", query.getString("data"));
      assertEquals(1001, query.getJsonObject("from").getLong("id"));
      assertEquals(html, query.getJsonObject("message").getLong("message_id"));
      bot("answerCallbackQuery", new JsonObject().put("callback_query_id", query.getString("id")).put("text", "Are you sure?")
          .put("show_alert", true));
      WebElement alert = browser.await(By.cssSelector("#toast[role='alert']"));
      assertEquals("Are you sure?", alert.findElement(By.id("toast-text")).getText());
      button(browser, "OK").click();
      browser.until(d -> !alert.isDisplayed());

      // an edit changes the message where it is: the element found before shows the new text
      bot("editMessageText", new JsonObject().put("chat_id", 1001).put("message_id", html).put("text", "changed"));
      browser.until(d -> first.findElement(By.cssSelector(".text")).getText().equals("changed"));
      assertTrue(first.findElements(By.tagName("strong")).isEmpty() && first.findElements(By.cssSelector(".inline-keyboard")).isEmpty(),
          "the edit left no formatting and no buttons");
      bot("deleteMessage", new JsonObject().put("chat_id", 1001).put("message_id", markdown));
      browser.until(d -> d.findElements(By.cssSelector("#messages li[data-message-id='" + markdown + "']")).isEmpty());

      // a reply keyboard takes the text field's place; a button sends its text; removing it brings the field back
      send(new JsonObject().put("text", "Pick one").put("reply_markup", new JsonObject().put("keyboard", new JsonArray()
          .add(new JsonArray().add(new JsonObject().put("text", "One")).add(new JsonObject().put("text", "Two"))))));
      button(browser, "One").click();
      assertFalse(browser.driver().findElement(By.cssSelector("input[aria-label='Message']")).isDisplayed());
      assertEquals("One", awaitUpdate("message").getString("text"));
      browser.until(d -> d.findElements(By.cssSelector("#messages li[data-from='user']")).stream()
          .anyMatch(li -> li.getText().startsWith("One")));
      send(new JsonObject().put("text", "Thanks").put("reply_markup", new JsonObject().put("remove_keyboard", true)));
      browser.await(By.cssSelector("input[aria-label='Message']"));
      assertTrue(browser.all(By.cssSelector("#reply-keyboard button")).stream().noneMatch(WebElement::isDisplayed));
    }
  }

  /** The bot sends a message to Anna's chat (1001); returns its message_id. */
  private long send(JsonObject params) throws Exception {
    return bot("sendMessage", params.put("chat_id", 1001)).getJsonObject("result").getLong("message_id");
  }

  private JsonObject bot(String method, JsonObject params) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/bot" + TOKEN + "/" + method))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(params.encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), method + ": " + r.body());
    return new JsonObject(r.body());
  }

  private long offset;

  /** The next update (a long poll of up to 20 s, as a bot makes), which must carry {@code kind}; confirms it. */
  private JsonObject awaitUpdate(String kind) throws Exception {
    JsonArray updates = bot("getUpdates", new JsonObject().put("offset", offset).put("timeout", 20)).getJsonArray("result");
    assertFalse(updates.isEmpty(), "no update came");
    JsonObject update = updates.getJsonObject(0);
    offset = update.getLong("update_id") + 1;
    assertTrue(update.containsKey(kind), update.encode());
    return update.getJsonObject(kind);
  }

  private static WebElement message(Browser browser, long id) {
    return browser.await(By.cssSelector("#messages li[data-from='bot'][data-message-id='" + id + "']"));
  }

  private static WebElement button(Browser browser, String text) {
    return browser.until(d -> d.findElements(By.tagName("button")).stream()
        .filter(b -> b.isDisplayed() && b.getText().equals(text)).findFirst().orElse(null));
  }
}
