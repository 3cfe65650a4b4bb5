package io.estuary.http;

import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console in a real browser (Debian's headless Chromium through its chromedriver, `.ci/run` installs both)
 * while ffmpeg publishes: the streams list, the players (mpegts.js and hls.js, fetched by npm in the build), kicking a
 * publisher, the login of an API with auth. A screenshot of each page lands in target/console-screenshots/.
 */
class ConsoleBrowserTest {

  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static TestNode node;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject()
        .put("http_server", new JsonObject().put("enabled", true).put("dir", "target/console-html"))
        .put("http_api", new JsonObject().put("enabled", true))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("http_remux", new JsonObject().put("enabled", true).put("mount", "[vhost]/[app]/[stream].flv"))
            .put("hls", new JsonObject().put("enabled", true).put("hls_fragment", 2).put("hls_window", 10)))));
    ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--autoplay-policy=no-user-gesture-required", "--mute-audio", "--window-size=1280,900");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void listsThePublishedStreamWithItsCodecAndALiveBitrate() throws Exception {
    Ffmpeg.Run ffmpeg = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("/live/shown"));
    Ffmpeg.Run player = null;
    try {
      node.awaitPublished("live/shown");
      player = Ffmpeg.play(node.http("/live/shown.flv"), 0);
      browser.manage().window().setSize(new Dimension(1280, 900));
      browser.get(node.http("/")); // dir has no index.html: a link to the console
      browser.findElement(By.linkText("Console")).click();
      By row = By.cssSelector("#streams tr[data-stream='live/shown']");
      until(d -> d.findElement(row).getText().contains("H264 640x360"), "live/shown listed with H264 640x360");
      String first = until(d -> rate(d, row), "a measured bitrate for live/shown");
      String later = until(d -> {
        String now = rate(d, row);
        return now != null && !now.equals(first) ? now : null;
      }, "the bitrate of live/shown to change from " + first);
      assertNotEquals(first, later);
      until(d -> d.findElement(row).findElement(By.cssSelector("td.players")).getText().equals("flv 1"),
          "the HTTP-FLV player counted among the players of live/shown");
      screenshot("streams");

      browser.get(node.http("/console/#clients"));
      until(d -> !d.findElements(By.cssSelector("#clients tr[data-type='publish'][data-stream='live/shown']")).isEmpty(),
          "the publisher of live/shown among the clients");
      screenshot("clients");

      browser.get(node.http("/console/#node"));
      until(d -> d.findElement(By.id("node-facts")).getText().contains("0.1.0")
          && !d.findElements(By.cssSelector("#nodes tr")).isEmpty(), "the node's version and the node list");
      screenshot("node");

      browser.manage().window().setSize(new Dimension(390, 844)); // a phone
      browser.get(node.http("/console/"));
      until(d -> d.findElement(row).getText().contains("H264 640x360"), "live/shown listed on a phone's width");
      long overflow = (Long) browser.executeScript(
          "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
      assertTrue(overflow <= 0, "the page scrolls sideways on a phone by " + overflow + " px");
      screenshot("streams-phone");
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 900));
      if (player != null) {
        player.stop();
      }
      ffmpeg.stop();
    }
  }

  @Test
  void clickingTheStreamPlaysItOverHttpFlvThenHls() throws Exception {
    Ffmpeg.Run ffmpeg = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("/live/played"));
    try {
      browser.get(node.http("/console/"));
      By link = By.cssSelector("#streams tr[data-stream='live/played'] a.play");
      until(d -> !d.findElements(link).isEmpty(), "live/played listed");
      browser.findElement(link).click();
      until(d -> "flv".equals(script("return window.estuaryPlayer && window.estuaryPlayer.protocol")), "the FLV player");
      playsFiveSeconds("flv");
      screenshot("player-flv");

      browser.findElement(By.id("use-hls")).click();
      until(d -> "hls".equals(script("return window.estuaryPlayer.protocol")), "the HLS player");
      playsFiveSeconds("hls");
      assertTrue(browser.findElement(By.id("urls")).getText().contains("RTMP"));
      screenshot("player-hls");
    } finally {
      ffmpeg.stop();
    }
  }

  @Test
  void kickingThePublisherEndsItsFfmpegAndItsStream() throws Exception {
    Ffmpeg.Run ffmpeg = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("/live/kicked"));
    try {
      browser.get(node.http("/console/#clients"));
      By kick = By.cssSelector("#clients tr[data-type='publish'][data-stream='live/kicked'] button.kick");
      until(d -> !d.findElements(kick).isEmpty(), "the publisher of live/kicked among the clients");
      browser.findElement(kick).click();
      new WebDriverWait(browser, WAIT).until(ExpectedConditions.alertIsPresent());
      assertTrue(browser.switchTo().alert().getText().startsWith("Kick client"));
      browser.switchTo().alert().accept();
      assertTrue(ffmpeg.waitFor(15), "ffmpeg still publishes after the kick");
      browser.get(node.http("/console/#streams"));
      until(d -> d.findElement(By.id("stream-count")).getText().endsWith(" live"), "the streams list");
      until(d -> d.findElements(By.cssSelector("#streams tr[data-stream='live/kicked']")).isEmpty(),
          "live/kicked gone from the list");
    } finally {
      ffmpeg.stop();
    }
  }

  @Test
  void withApiAuthTheConsoleAsksForTheCredentialsThenShowsTheStreams() throws Exception {
    try (TestNode guarded = TestNode.start(new JsonObject()
        .put("http_server", new JsonObject().put("enabled", true).put("dir", "target/console-html"))
        .put("http_api", new JsonObject().put("enabled", true).put("auth", new JsonObject()
            .put("enabled", true).put("username", "admin").put("password", "s3cret"))))) {
      Ffmpeg.Run ffmpeg = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), guarded.rtmp("/live/guarded"));
      try {
        browser.get(guarded.http("/console/"));
        WebElement login = until(d -> d.findElement(By.id("login")).isDisplayed() ? d.findElement(By.id("login")) : null,
            "the login dialog");
        login.findElement(By.name("user")).sendKeys("admin");
        login.findElement(By.name("password")).sendKeys("wrong");
        login.findElement(By.cssSelector("button[type=submit]")).click();
        until(d -> login.findElement(By.className("login-error")).getText().contains("Wrong"), "a wrong password refused");
        screenshot("login");
        login.findElement(By.name("password")).clear();
        login.findElement(By.name("password")).sendKeys("s3cret");
        login.findElement(By.cssSelector("button[type=submit]")).click();
        until(d -> !d.findElements(By.cssSelector("#streams tr[data-stream='live/guarded']")).isEmpty(),
            "live/guarded listed after the login");
        assertFalse(browser.getCurrentUrl().contains("s3cret"));
        assertEquals(List.of(), browser.executeScript("return Object.keys(localStorage);"));
      } finally {
        ffmpeg.stop();
        browser.executeScript("sessionStorage.clear();");
      }
    }
  }

  /**
   * The video's currentTime advances by 5 s of media, with no error event nor player error along the way; the page
   * shows how far behind live it plays.
   */
  private static void playsFiveSeconds(String protocol) {
    double start = until(d -> {
      double t = currentTime();
      return t > 0 ? t : null;
    }, protocol + " playback to start");
    until(d -> {
      List<?> errors = (List<?>) script("return window.estuaryPlayer.errors;");
      assertEquals(List.of(), errors, protocol + " player errors");
      return currentTime() >= start + 5;
    }, protocol + " playback to advance 5 s from " + start);
    until(d -> d.findElement(By.id("latency")).getText().matches("\\d+\\.\\d s"), "the latency behind live shown");
  }

  private static double currentTime() {
    return ((Number) script("return document.getElementById('video').currentTime;")).doubleValue();
  }

  private static Object script(String js) {
    return ((JavascriptExecutor) browser).executeScript(js);
  }

  /** The bitrate shown in a stream's "In" cell, once measured. */
  private static String rate(WebDriver d, By row) {
    List<WebElement> rows = d.findElements(row);
    if (rows.isEmpty()) {
      return null;
    }
    String text = rows.get(0).findElement(By.cssSelector("td.in .rate")).getText();
    return text.endsWith("kbps") || text.endsWith("Mbps") ? text : null;
  }

  private static <T> T until(java.util.function.Function<WebDriver, T> condition, String what) {
    // the console redraws its tables on every poll: an element read across a redraw is stale, read again
    return new WebDriverWait(browser, WAIT).withMessage(what).ignoring(StaleElementReferenceException.class)
        .until(condition::apply);
  }

  private static void screenshot(String name) throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
