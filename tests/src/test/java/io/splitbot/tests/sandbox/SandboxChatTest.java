package io.splitbot.tests.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.support.Browser;
import io.splitbot.tests.support.SandboxProcess;
import io.splitbot.tests.support.TestEnv;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The chat page in a real browser against {@code bot-worker.jar sandbox}: /start gets the desk's greeting; /new is
 * walked to a created request by typing, pressing the category and priority buttons and sharing a contact from the
 * reply keyboard; the admin moves the request along from the card's buttons (the card changes in place, the answer
 * shows as a toast); the resident sees the notification, and hears the desk in Russian once the switcher says so. A
 * screenshot of each page.
 */
class SandboxChatTest {
  private static final Pattern CREATED = Pattern.compile("Request (\\d{6}-\\d{3}) created");

  @Test
  void aResidentFilesARequestAndTheAdminTakesItIntoWork() throws Exception {
    try (SandboxProcess sandbox = SandboxProcess.start("sandbox-chat", TestEnv.tempDir("sandbox-chat"));
        Browser browser = Browser.open()) {
      browser.get(sandbox.url());
      WebElement input = browser.await(By.cssSelector("input[aria-label='Message']"));
      assertEquals("Anna Resident (resident)", new Select(browser.await(By.id("person"))).getFirstSelectedOption().getText());

      input.sendKeys("/start", Keys.ENTER);
      awaitUserMessage(browser, "/start");
      awaitBotMessage(browser, "Hello, Anna!");
      browser.screenshot("sandbox-chat");

      // what the bot sends is shown as text, never as the page's HTML
      String markup = "<img src=x onerror=\"document.title='injected'\"><b>bold</b>";
      say(browser, "/echo " + markup);
      WebElement echo = awaitBotMessage(browser, "<b>bold</b>");
      assertEquals(markup, echo.findElement(By.cssSelector(".text")).getText());
      assertTrue(echo.findElements(By.cssSelector("img, b")).isEmpty(), echo.getDomProperty("innerHTML"));
      assertFalse(browser.driver().getTitle().contains("injected"));

      say(browser, "/new");
      awaitBotMessage(browser, "Step 1 of 8");
      say(browser, "Leaking kitchen tap");
      awaitBotMessage(browser, "Step 2 of 8");
      say(browser, "The tap drips all night and the sink is full by morning");
      awaitBotMessage(browser, "Step 3 of 8");
      say(browser, "12 Main Street");
      awaitBotMessage(browser, "Step 4 of 8");
      say(browser, "12A");
      awaitBotMessage(browser, "Step 5 of 8");
      click(browser, "Plumbing");
      awaitBotMessage(browser, "Step 6 of 8");
      // the pressed question is edited in place: it shows the choice and loses its buttons
      awaitBotMessage(browser, "Category: Plumbing");
      click(browser, "Urgent");
      awaitBotMessage(browser, "Step 7 of 8");

      // the share-contact keyboard takes the text field's place while it is shown
      WebElement share = button(browser, "📱 Share my phone number");
      assertFalse(browser.driver().findElement(By.cssSelector("input[aria-label='Message']")).isDisplayed(),
          "the reply keyboard replaces the input");
      browser.screenshot("sandbox-share-contact");
      share.click();
      awaitBotMessage(browser, "Phone: +15550001001");
      awaitBotMessage(browser, "Step 8 of 8");
      click(browser, "👤 Anna Resident");
      awaitBotMessage(browser, "Please check your request:");
      click(browser, "✅ Confirm");
      String created = awaitBotMessage(browser, "created").getText();
      Matcher m = CREATED.matcher(created);
      assertTrue(m.find(), created);
      String number = m.group(1);
      assertTrue(browser.await(By.cssSelector("input[aria-label='Message']")).isDisplayed(), "the keyboard is gone, the input is back");
      browser.screenshot("sandbox-request-created");

      // the admin (ADMIN_USER_IDS, set by the sandbox) has the new request with its card's buttons
      new Select(browser.await(By.id("person"))).selectByVisibleText("Boris Admin (admin)");
      awaitBotMessage(browser, "New request " + number + " from Anna Resident.");
      click(browser, "▶️ Take into work");
      WebElement toast = browser.await(By.id("toast"));
      browser.until(d -> toast.getText().contains("Request " + number + ": In progress"));
      awaitBotMessage(browser, "Request " + number + " · In progress");
      browser.screenshot("sandbox-admin");

      new Select(browser.await(By.id("person"))).selectByVisibleText("Anna Resident (resident)");
      awaitBotMessage(browser, "the status changed from \"New\" to \"In progress\" (Boris Admin)");
      assertFalse(browser.driver().findElement(By.id("toast")).isDisplayed(), "Boris's toast stayed in Boris's chat");
      List<WebElement> mine = browser.all(By.cssSelector("#messages li[data-from='user']"));
      assertTrue(mine.stream().anyMatch(li -> li.getText().contains("Leaking kitchen tap")), "Anna's own messages are back");
      browser.screenshot("sandbox-resident-notified");

      // the switcher's language is the user's language_code: the desk answers in Russian
      new Select(browser.await(By.id("user-lang"))).selectByValue("ru");
      say(browser, "/start");
      awaitBotMessage(browser, "Здравствуйте, Anna!");
    }
  }

  private static void say(Browser browser, String text) {
    browser.await(By.cssSelector("input[aria-label='Message']")).sendKeys(text, Keys.ENTER);
    awaitUserMessage(browser, text);
  }

  private static void awaitUserMessage(Browser browser, String text) {
    browser.until(d -> d.findElements(By.cssSelector("#messages li[data-from='user']")).stream()
        .anyMatch(li -> li.getText().contains(text)));
  }

  /** The latest bot message showing {@code fragment}, once there is one. */
  private static WebElement awaitBotMessage(Browser browser, String fragment) {
    return browser.until(d -> {
      List<WebElement> found = d.findElements(By.cssSelector("#messages li[data-from='bot']")).stream()
          .filter(li -> li.getText().contains(fragment)).toList();
      return found.isEmpty() ? null : found.get(found.size() - 1);
    });
  }

  /** The last displayed button whose text is {@code text} (emoji variation selectors aside), once there is one. */
  private static WebElement button(Browser browser, String text) {
    return browser.until(d -> {
      List<WebElement> found = d.findElements(By.tagName("button")).stream()
          .filter(b -> b.isDisplayed() && plain(b.getText()).equals(plain(text))).toList();
      return found.isEmpty() ? null : found.get(found.size() - 1);
    });
  }

  private static String plain(String text) {
    return text.replace("\uFE0F", "").strip();
  }

  private static void click(Browser browser, String text) {
    button(browser, text).click();
  }
}
