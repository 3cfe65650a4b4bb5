package io.estuary.testing;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real ffmpeg and ffprobe processes against the server under test. A test that needs them fails when they are
 * missing (`.ci/run` installs them); it never skips.
 */
public final class Ffmpeg {

  private static final Pattern FRAME = Pattern.compile("^frame=(\\d+)$", Pattern.MULTILINE);

  private Ffmpeg() {
  }

  /**
   * The test media file {@code name}: one of the four synthetic FLV files the tests publish (made by {@link
   * MediaFiles} with ffmpeg into {@code target/test-media/} on first use, once per build), or, when the property
   * {@code estuary.media.dir} is set, the file of that name in that folder.
   */
  public static Path media(String name) {
    String dir = System.getProperty("estuary.media.dir");
    if (dir == null || dir.isBlank()) {
      return MediaFiles.get(name);
    }
    Path file = Path.of(dir).resolve(name);
    if (!Files.isReadable(file)) {
      throw new IllegalStateException("test media missing: " + file.toAbsolutePath());
    }
    return file;
  }

  /** ffmpeg looping {@code file} in real time to {@code url}, without re-encoding. Stop it with {@link Run#stop()}. */
  public static Run publish(Path file, String url) throws IOException {
    return publish("ffmpeg", file, url);
  }

  static Run publish(String ffmpeg, Path file, String url) throws IOException {
    return start(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "warning", "-re", "-stream_loop", "-1",
        "-i", file.toString(), "-c", "copy", "-f", "flv", url));
  }

  /** ffmpeg reading {@code url} and decoding {@code seconds} of it, reporting progress (frame counts) on stdout. */
  public static Run play(String url, double seconds) throws IOException {
    return play("ffmpeg", url, seconds);
  }

  static Run play(String ffmpeg, String url, double seconds) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error",
        "-rw_timeout", "15000000", "-i", url));
    if (seconds > 0) {
      cmd.addAll(List.of("-t", String.valueOf(seconds)));
    }
    cmd.addAll(List.of("-map", "0:v?", "-f", "null", "-progress", "pipe:1", "-"));
    return start(cmd);
  }

  /** ffprobe's JSON for {@code args} (e.g. -show_streams) of {@code url}. */
  public static String probe(String url, String... args) throws Exception {
    return probeWith("ffprobe", url, args);
  }

  static String probeWith(String ffprobe, String url, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ffprobe, "-v", "error", "-rw_timeout", "15000000", "-of", "json"));
    cmd.addAll(List.of(args));
    cmd.add(url);
    Run run = start(cmd);
    if (!run.waitFor(30)) {
      run.stop();
      throw new AssertionError("ffprobe did not finish in 30 s: " + run.stderr());
    }
    if (run.exitCode() != 0) {
      throw new AssertionError("ffprobe failed (" + run.exitCode() + "): " + run.stderr());
    }
    return run.stdout();
  }

  /**
   * ffprobe's {@code streams} of {@code url} once it reads {@code count} of them, asked again until it does (a relayed
   * or forwarded copy may not be there yet), within 30 s.
   */
  public static JsonArray awaitStreams(String url, int count) throws InterruptedException {
    return Await.value(java.time.Duration.ofSeconds(30), () -> {
      try {
        return new JsonObject(probe(url, "-show_streams")).getJsonArray("streams");
      } catch (Exception | AssertionError e) {
        return new JsonArray();
      }
    }, streams -> streams.size() == count, () -> "ffprobe reads " + count + " streams from " + url);
  }

  /** The test media's frame rate. */
  public static final double FPS = 25;

  /**
   * Each player (started with {@link #play} for {@code seconds}) ends on its own, cleanly, having decoded at least
   * 90% of the frames the publisher sent in that time.
   */
  public static void assertDecoded(List<Run> players, double seconds) throws InterruptedException {
    for (Run player : players) {
      if (!player.waitFor(40)) {
        throw new AssertionError("player did not finish: " + player.stderr());
      }
      if (player.exitCode() != 0) {
        throw new AssertionError("player failed (" + player.exitCode() + "): " + player.stderr());
      }
      if (player.frames() < 0.9 * FPS * seconds) {
        throw new AssertionError("decoded " + player.frames() + " of " + FPS * seconds + " frames: " + player.stderr());
      }
    }
  }

  /** The stream of {@code type} ("video", "audio") in ffprobe's {@code streams} array. */
  public static JsonObject stream(JsonArray streams, String type) {
    for (int i = 0; i < streams.size(); i++) {
      if (type.equals(streams.getJsonObject(i).getString("codec_type"))) {
        return streams.getJsonObject(i);
      }
    }
    throw new AssertionError("no " + type + " stream in " + streams);
  }

  /** ffprobe's {@code streams} are H.264 video and AAC audio (the test media's codecs, relayed as they came). */
  public static void assertH264Aac(JsonArray streams) {
    String video = stream(streams, "video").getString("codec_name");
    String audio = stream(streams, "audio").getString("codec_name");
    if (!"h264".equals(video) || !"aac".equals(audio)) {
      throw new AssertionError("expected h264 and aac, got " + video + " and " + audio + ": " + streams);
    }
  }

  public static Run start(List<String> command) throws IOException {
    File out = File.createTempFile("estuary-ffmpeg", ".out");
    File err = File.createTempFile("estuary-ffmpeg", ".err");
    out.deleteOnExit();
    err.deleteOnExit();
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
    if (Ffmpeg7.owns(command.get(0))) {
      builder.environment().put("LD_LIBRARY_PATH", Path.of(command.get(0)).getParent().toString());
    }
    Process process = builder.start();
    return new Run(process, out.toPath(), err.toPath());
  }

  /** A running ffmpeg/ffprobe whose output goes to temporary files. */
  public static final class Run {
    private final Process process;
    private final Path out;
    private final Path err;

    Run(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    public boolean waitFor(long seconds) throws InterruptedException {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /**
     * For asynchronous tests: completes with the exit code when the process ends; fails with an AssertionError
     * (and its stderr) if it still runs after {@code seconds}.
     */
    public Future<Integer> exited(long seconds) {
      return Future.fromCompletionStage(process.onExit()).map(Process::exitValue).timeout(seconds, TimeUnit.SECONDS)
          .recover(e -> Future.failedFuture(new AssertionError(
              String.join(" ", process.info().command().orElse("ffmpeg")) + " still runs after " + seconds + " s: "
                  + stderr(), e)));
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    /** Stops the process where it is (SIGSTOP): an encoder or a destination that stalls, its sockets left open. */
    public void pause() throws IOException, InterruptedException {
      signal("-STOP");
    }

    /** Lets a {@link #pause paused} process go on (SIGCONT). */
    public void resume() throws IOException, InterruptedException {
      signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
      Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).start();
      if (kill.waitFor() != 0) {
        throw new IOException("kill " + signal + " " + process.pid() + " failed");
      }
    }

    public int exitCode() {
      return process.exitValue();
    }

    /** Asks ffmpeg to stop (SIGTERM), then kills it if it lingers. */
    public void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }

    public String stdout() {
      return read(out);
    }

    public String stderr() {
      return read(err);
    }

    /** The last {@code frame=N} progress line: frames decoded so far. */
    public long frames() {
      Matcher m = FRAME.matcher(stdout());
      long frames = -1;
      while (m.find()) {
        frames = Long.parseLong(m.group(1));
      }
      return frames;
    }

    private static String read(Path path) {
      try {
        return Files.readString(path, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }
  }
}
