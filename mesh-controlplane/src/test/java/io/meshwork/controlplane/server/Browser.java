package io.meshwork.controlplane.server;

import io.meshwork.netty.testing.Binaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through its chromedriver (both children of the test, ended by
 * {@link #close()}), at a laptop's window size. Waits are on what the page shows, with generous bounds.
 */
final class Browser implements AutoCloseable {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** A browser with its profile in {@code profile}; fails naming the Debian packages when chromium is missing. */
  static Browser start(Path profile) {
    Path chromium;
    Path chromedriver;
    try {
      chromium = Binaries.chromium();
      chromedriver = Binaries.chromedriver();
    } catch (AssertionError e) {
      throw new AssertionError("the dashboard is tested in a headless chromium: " + e.getMessage()
          + "; it needs the Debian packages chromium and chromium-driver (apt-get install -y chromium"
          + " chromium-driver, or ./build.sh packages)", e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1366,900", "--lang=en-US", "--user-data-dir=" + profile,
        // Nothing leaves the machine: no update checks, no sync, no pings.
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--no-default-browser-check", "--disable-default-apps", "--no-pings", "--disable-domain-reliability");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options));
  }

  void open(String url) {
    driver.get(url);
  }

  /** Waits until {@code condition} holds (a non-null, non-false value), failing with the page's text. */
  <T> T await(String what, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).ignoring(RuntimeException.class)
          .until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + "; the page shows:\n"
          + text("body"), e);
    }
  }

  /** Waits until the page's content holds {@code text}. */
  void awaitText(String text) {
    await("'" + text + "' on the page", d -> text("#content").contains(text));
  }

  /** The visible text of the first element {@code css} selects, or "" when there is none. */
  String text(String css) {
    List<WebElement> found = driver.findElements(By.cssSelector(css));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** The row of the table cell whose text is {@code firstCell}, cell by cell; empty when there is none. */
  List<String> row(String firstCell) {
    for (WebElement row : driver.findElements(By.cssSelector("#content tbody tr"))) {
      List<WebElement> cells = row.findElements(By.cssSelector("th, td"));
      if (!cells.isEmpty() && cells.get(0).getText().equals(firstCell)) {
        return cells.stream().map(WebElement::getText).toList();
      }
    }
    return List.of();
  }

  /** Scrolls the first element {@code css} selects to the top of the window. */
  void scrollTo(String css) {
    driver.executeScript("arguments[0].scrollIntoView()", driver.findElement(By.cssSelector(css)));
  }

  /** Saves what the window shows as {@code file} (PNG). */
  void screenshot(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.move(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The console's errors since the last call: script exceptions, blocked content, failed requests. */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
  }

  WebDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
