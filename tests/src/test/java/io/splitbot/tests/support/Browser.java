package io.splitbot.tests.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser for the UI tests: Debian's headless {@code chromium} driven through {@code chromium-driver}
 * (.ci/run installs both). The driver's path is given, so Selenium Manager never looks on the network for one.
 * Waits are on conditions, never on sleeps.
 */
public final class Browser implements AutoCloseable {
  /** Where the screenshots go: tests/target/screenshots. */
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** A fresh headless chromium, 1280×900, no profile kept. */
  public static Browser open() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(executable("chromium", "/usr/bin/chromium", "/usr/lib/chromium/chromium").toFile());
    // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1280,900", "--lang=en-US", "--no-first-run", "--disable-extensions");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(executable("chromedriver", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver").toFile())
        .usingAnyFreePort()
        .build();
    return new Browser(new ChromeDriver(service, options));
  }

  private static Path executable(String what, String... candidates) {
    for (String candidate : candidates) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return path;
      }
    }
    throw new IllegalStateException(what + " is not installed (looked in " + String.join(", ", candidates)
        + "): apt-get install chromium chromium-driver, as .ci/run does");
  }

  public WebDriver driver() {
    return driver;
  }

  public void get(String url) {
    driver.get(url);
  }

  /** The first element {@code by} finds, once there is one and it is displayed. */
  public WebElement await(By by) {
    return until(d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
  }

  /** Waits until {@code condition} gives a value other than null or false, and returns it. */
  public <T> T until(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).until(condition);
  }

  /** Every element {@code by} finds now. */
  public List<WebElement> all(By by) {
    return driver.findElements(by);
  }

  /** A PNG of the page as shown, under tests/target/screenshots; returns its path. */
  public Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Path target = SCREENSHOTS.resolve(name + ".png");
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
