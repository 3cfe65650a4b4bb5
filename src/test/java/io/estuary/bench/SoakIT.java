package io.estuary.bench;

import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.JarNode;
import io.estuary.testing.RawRtmp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak ({@code mvn -B verify -Psoak}, not in the default build): one node from the jar in its own JVM, for
 * {@code soak.seconds} (600) under 500 players (250 RTMP, 250 HTTP-FLV) on 20 publishers' streams — two
 * {@link Bench}es in this JVM — while players and publishers keep leaving and coming back (more, short benches) and
 * bad clients keep arriving (garbage, half handshakes, a message declared over the limit, HTTP junk). Every
 * {@code soak.sample.seconds} (60) it samples the node's heap after a full GC, RSS, open file descriptors, threads
 * and its own view (clients, streams, bytes sent), writes them to {@code target/soak/soak.md}, and holds them to
 * {@link Bounds}: flat from the early window (samples 2–4) to the last three, back to the idle baseline when
 * everybody has left, and every steady player got media the whole time (no gap over the stall time).
 *
 * <p>A 1-minute smoke run: {@code -Dsoak.seconds=60 -Dsoak.sample.seconds=10}.
 */
class SoakIT {

  private static final int SECONDS = Integer.getInteger("soak.seconds", 600);
  private static final int SAMPLE_SECONDS = Integer.getInteger("soak.sample.seconds", 60);
  private static final int PLAYERS_PER_PROTOCOL = Integer.getInteger("soak.players", 500) / 2;
  private static final int PUBLISHERS_PER_PROTOCOL = Integer.getInteger("soak.publishers", 20) / 2;
  /** About 200 kbps: 500 players are about 100 Mbit/s on loopback, which 2 shared cores carry with room to spare. */
  private static final String MEDIA = "h264-aac-320x180.flv";
  private static final double MEDIA_KBPS = 197;
  /** A steady player with no media for longer than this is stalled (generous: other builds share the machine). */
  private static final double STALL_SECONDS = 10;
  private static final Path OUT = Path.of("target/soak");

  /**
   * How flat is flat. The early window is samples 2–4 (the first sample still has the JIT and the pools growing);
   * the late one the last three samples.
   */
  record Bounds(double heapRatio, long heapSlackKb, double rssRatio, long rssSlackKb, int fdSlackLoaded,
      int threadSlackLoaded, int fdSlackIdle, int threadSlackIdle) {
    static final Bounds SOAK = new Bounds(1.20, 4 * 1024, 1.10, 16 * 1024, 32, 4, 4, 2);

    String describe() {
      return String.format("heap after GC: late max <= early max x %.2f + %d MiB; RSS: late max <= early max x %.2f"
              + " + %d MiB; fds: late max <= early max + %d (the churn's and bad clients' connections come and go);"
              + " threads: late max <= early max + %d; once everybody has left: fds <= idle + %d, threads <= early"
              + " max + %d", heapRatio, heapSlackKb / 1024, rssRatio, rssSlackKb / 1024, fdSlackLoaded,
          threadSlackLoaded, fdSlackIdle, threadSlackIdle);
    }
  }

  /** One sample of the node. */
  record Sample(String label, double at, long heapKb, long metaspaceKb, long rssKb, int fds, int threads,
      int clients, int streams, long sendKbps, double load1) {
  }

  private final AtomicBoolean stopping = new AtomicBoolean();
  /** What a load, churn or bad-client thread threw. */
  private final List<String> threadFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, Integer> badOutcomes = new TreeMap<>();
  private final List<String> churnProblems = new ArrayList<>();
  private int churnPlayers;
  private int churnPublishers;

  @Test
  void aNodeUnderLoadChurnAndBadClientsStaysFlat() throws Exception {
    assertTrue(SECONDS / SAMPLE_SECONDS >= 6, "soak.seconds must give at least 6 samples of soak.sample.seconds");
    Files.createDirectories(OUT);
    Path media = Ffmpeg.media(MEDIA);
    try (JarNode node = JarNode.alone(OUT, "soak", ports -> """
        max_connections 4000;
        http_server { enabled on; listen 127.0.0.1:%d; }
        vhost __defaultVhost__ { http_remux { enabled on; mount [vhost]/[app]/[stream].flv; } }
        """.formatted(ports.http()));
         PrintStream log = new PrintStream(Files.newOutputStream(OUT.resolve("bench.log")), true,
             StandardCharsets.UTF_8)) {
      Await.until(Duration.ofSeconds(30), () -> node.apiUnchecked("/api/v1/summaries") != null,
          () -> "the node's API: " + node.readLogUnchecked());
      long pid = node.process().pid();
      List<Sample> samples = new ArrayList<>();
      samples.add(sample("idle", 0, pid, node));

      // The steady load: 250 RTMP players on 10 publishers' streams, 250 HTTP-FLV players on 10 others.
      double benchSeconds = SECONDS + 5;
      BenchOptions rtmpLoad = steady(node.rtmpUrl("soakr"), node.rtmpUrl("soakr"), media, benchSeconds);
      BenchOptions httpLoad = steady(node.httpUrl("/live/soakh.flv"), node.rtmpUrl("soakh"), media, benchSeconds);
      BenchResult[] results = new BenchResult[2];
      List<Thread> threads = List.of(
          thread("soak-rtmp", () -> results[0] = Bench.run(rtmpLoad, log)),
          thread("soak-http", () -> results[1] = Bench.run(httpLoad, log)),
          thread("soak-publish-churn", () -> publishChurn(node, media, log)),
          thread("soak-play-churn", () -> playChurn(node, log)),
          thread("soak-bad-clients", () -> badClients(node)));
      long start = System.nanoTime();
      for (int i = 1; i * SAMPLE_SECONDS <= SECONDS; i++) {
        long due = start + TimeUnit.SECONDS.toNanos((long) i * SAMPLE_SECONDS);
        TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime())); // pacing the samples, not awaiting a state
        assertTrue(node.process().isAlive(), "the node died: " + node.readLogUnchecked());
        samples.add(sample(String.valueOf(i), (System.nanoTime() - start) / 1e9, pid, node));
        write(samples, null, results);
      }
      stopping.set(true);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
      // Everybody has left: the node is idle again.
      Await.until(Duration.ofSeconds(30), () -> clients(node) == 0,
          () -> "clients left on the node: " + node.apiUnchecked("/api/v1/clients?count=100"));
      Sample after = sample("after", (System.nanoTime() - start) / 1e9, pid, node);
      samples.add(after);
      write(samples, after, results);

      for (int i = 0; i < 2; i++) {
        BenchResult r = results[i];
        assertTrue(r != null, "a steady bench did not finish; see " + OUT.resolve("bench.log"));
        assertEquals(PLAYERS_PER_PROTOCOL, r.connected(), r.describe());
        assertEquals(0, r.failed(), r.describe());
        assertEquals(0, r.stalled(), "players with no media for over " + STALL_SECONDS + " s: " + r.describe());
        for (BenchResult.PublisherResult p : r.publishers()) {
          assertEquals("PUBLISHING", p.state(), "steady publisher " + p.url() + ": " + p.failure());
        }
        for (BenchResult.PlayerResult p : r.players()) {
          assertTrue(p.videoFrames() >= 0.9 * 25 * (p.playSeconds() - STALL_SECONDS), "player " + p.url() + " got "
              + p.videoFrames() + " video frames in " + p.playSeconds() + " s");
        }
      }
      assertTrue(threadFailures.isEmpty(), "threads that failed: " + threadFailures);
      assertTrue(churnProblems.isEmpty(), "churn: " + churnProblems);
      assertTrue(churnPublishers > 0 && churnPlayers > 0, "no churn happened");
      synchronized (this) {
        assertTrue(badOutcomes.keySet().stream().noneMatch(k -> k.endsWith(":left open")),
            "bad clients the node did not close: " + badOutcomes);
      }
      assertFlat(samples, Bounds.SOAK);
      assertTrue(node.process().isAlive(), "the node died: " + node.readLogUnchecked());
    }
  }

  private BenchOptions steady(String url, String publishUrl, Path media, double seconds) {
    return new BenchOptions().url(url).publishUrl(publishUrl).publishers(PUBLISHERS_PER_PROTOCOL)
        .players(PLAYERS_PER_PROTOCOL).file(media).ramp(50).duration(seconds).threads(1).stallSeconds(STALL_SECONDS)
        .quiet(true);
  }

  /** Publishers that come and go: a publisher and 5 RTMP players for 10 s, on 4 stream names in turn. */
  private void publishChurn(JarNode node, Path media, PrintStream log) throws Exception {
    for (int round = 0; !stopping.get(); round++) {
      String url = node.rtmpUrl("churn-" + round % 4);
      BenchResult r = Bench.run(new BenchOptions().url(url).publishers(1).players(5).file(media).ramp(20).duration(10)
          .threads(1).stallSeconds(STALL_SECONDS).quiet(true), log);
      synchronized (this) {
        churnPublishers++;
        churnPlayers += r.players().size();
        if (!"PUBLISHING".equals(r.publishers().get(0).state()) || r.connected() != 5 || r.failed() != 0) {
          churnProblems.add("round " + round + ": " + r.describe());
        }
      }
    }
  }

  /** Players that come and go on the steady streams: 10 RTMP, then 10 HTTP-FLV, for 8 s each. */
  private void playChurn(JarNode node, PrintStream log) throws Exception {
    for (int round = 0; !stopping.get(); round++) {
      String url = round % 2 == 0 ? node.rtmpUrl("soakr-" + round % PUBLISHERS_PER_PROTOCOL)
          : node.httpUrl("/live/soakh-" + round % PUBLISHERS_PER_PROTOCOL + ".flv");
      BenchResult r = Bench.run(new BenchOptions().url(url).publishers(0).players(10).ramp(20).duration(8)
          .threads(1).stallSeconds(STALL_SECONDS).quiet(true), log);
      synchronized (this) {
        churnPlayers += r.players().size();
        if (r.connected() != 10 || r.failed() != 0) {
          churnProblems.add("round " + round + " on " + url + ": " + r.describe());
        }
      }
    }
  }

  /** Bad clients one after another, each kind in turn; each outcome counted (the node must close them). */
  private void badClients(JarNode node) throws Exception {
    for (int round = 0; !stopping.get(); round++) {
      String kind;
      boolean closed;
      switch (round % 4) {
        case 0 -> {
          kind = "rtmp garbage";
          try (RawRtmp c = raw(node)) {
            byte[] junk = new byte[1537];
            ThreadLocalRandom.current().nextBytes(junk);
            junk[0] = 'G';
            c.send(junk);
            closed = c.closedByServer();
          }
        }
        case 1 -> {
          kind = "rtmp half handshake"; // C0 and half of C1, then gone
          try (RawRtmp c = raw(node)) {
            byte[] half = new byte[1 + 768];
            half[0] = 3;
            c.send(half);
          }
          closed = true;
        }
        case 2 -> {
          kind = "rtmp message declared over the limit";
          try (RawRtmp c = raw(node)) {
            c.handshake().send(RawRtmp.chunk0(20, 0xFFFFFF, new byte[16]));
            closed = c.closedByServer();
          }
        }
        default -> {
          kind = "http junk";
          try (Socket s = new Socket("127.0.0.1", node.http())) {
            s.setSoTimeout(5000);
            byte[] junk = new byte[512];
            ThreadLocalRandom.current().nextBytes(junk);
            s.getOutputStream().write(junk);
            s.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            closed = closedByServer(s.getInputStream());
          }
        }
      }
      synchronized (this) {
        badOutcomes.merge(kind + ":" + (closed ? "closed" : "left open"), 1, Integer::sum);
      }
      TimeUnit.MILLISECONDS.sleep(250); // pacing: about 4 bad clients a second, not awaiting a state
    }
  }

  private static RawRtmp raw(JarNode node) throws IOException {
    RawRtmp c = new RawRtmp(node.rtmp());
    c.socket.setSoTimeout(5000);
    return c;
  }

  private static boolean closedByServer(InputStream in) throws IOException {
    byte[] sink = new byte[4096];
    try {
      while (in.read(sink) >= 0) {
        // an error response, then the close
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private Thread thread(String name, Body body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Exception | AssertionError e) {
        threadFailures.add(name + ": " + e);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  // --- samples

  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
  private static final Pattern METASPACE_USED = Pattern.compile("Metaspace\\s+used (\\d+)K");

  private static Sample sample(String label, double at, long pid, JarNode node) throws Exception {
    jcmd(pid, "GC.run");
    String heapInfo = jcmd(pid, "GC.heap_info");
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    int fds;
    try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      fds = (int) list.count();
    }
    JsonObject system = node.api("/api/v1/summaries").getJsonObject("data").getJsonObject("system");
    JsonObject vhost = node.api("/api/v1/vhosts").getJsonArray("vhosts").getJsonObject(0);
    JsonArray streams = node.api("/api/v1/streams?count=1000").getJsonArray("streams");
    int live = 0;
    for (int i = 0; i < streams.size(); i++) {
      live += streams.getJsonObject(i).getJsonObject("publish").getBoolean("active") ? 1 : 0;
    }
    return new Sample(label, at, kb(HEAP_USED, heapInfo), kb(METASPACE_USED, heapInfo),
        statusKb(status, "VmRSS"), fds, (int) statusKb(status, "Threads"), system.getInteger("conn_srs"), live,
        vhost.getJsonObject("kbps").getLong("send_30s"), system.getDouble("load_1m"));
  }

  private static int clients(JarNode node) {
    JsonObject summaries = node.apiUnchecked("/api/v1/summaries");
    return summaries == null ? -1 : summaries.getJsonObject("data").getJsonObject("system").getInteger("conn_srs");
  }

  private static String jcmd(long pid, String command) throws Exception {
    Process p = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "jcmd " + command + ": " + out);
    return out;
  }

  private static long kb(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    assertTrue(m.find(), pattern + " in " + text);
    return Long.parseLong(m.group(1));
  }

  private static long statusKb(String status, String field) {
    Matcher m = Pattern.compile("(?m)^" + field + ":\\s+(\\d+)").matcher(status);
    assertTrue(m.find(), field + " in " + status);
    return Long.parseLong(m.group(1));
  }

  // --- bounds

  private static void assertFlat(List<Sample> samples, Bounds b) {
    List<Sample> loaded = samples.subList(1, samples.size() - 1);
    List<Sample> early = loaded.subList(1, 4);
    List<Sample> late = loaded.subList(loaded.size() - 3, loaded.size());
    Sample idle = samples.get(0);
    Sample after = samples.get(samples.size() - 1);
    String table = table(samples);
    long heapEarly = max(early, Sample::heapKb);
    long rssEarly = max(early, Sample::rssKb);
    long fdsEarly = max(early, Sample::fds);
    long threadsEarly = max(early, Sample::threads);
    assertTrue(max(late, Sample::heapKb) <= heapEarly * b.heapRatio() + b.heapSlackKb(), "heap after GC grew\n" + table);
    assertTrue(max(late, Sample::rssKb) <= rssEarly * b.rssRatio() + b.rssSlackKb(), "RSS grew\n" + table);
    assertTrue(max(late, Sample::fds) <= fdsEarly + b.fdSlackLoaded(), "open files grew\n" + table);
    assertTrue(max(late, Sample::threads) <= threadsEarly + b.threadSlackLoaded(), "threads grew\n" + table);
    assertTrue(after.fds() <= idle.fds() + b.fdSlackIdle(), "open files after everybody left\n" + table);
    assertTrue(after.threads() <= threadsEarly + b.threadSlackIdle(), "threads after everybody left\n" + table);
    for (Sample s : loaded) {
      assertTrue(s.streams() >= 2 * PUBLISHERS_PER_PROTOCOL, "steady streams missing at " + s.label() + "\n" + table);
      assertTrue(s.clients() >= 2 * (PLAYERS_PER_PROTOCOL + PUBLISHERS_PER_PROTOCOL),
          "steady clients missing at " + s.label() + "\n" + table);
    }
    for (Sample s : late) {
      assertTrue(s.sendKbps() >= 0.7 * 2 * PLAYERS_PER_PROTOCOL * MEDIA_KBPS, "the players are not served at "
          + s.label() + "\n" + table);
    }
  }

  private static long max(List<Sample> samples, java.util.function.ToLongFunction<Sample> f) {
    return samples.stream().mapToLong(f).max().orElseThrow();
  }

  private static String table(List<Sample> samples) {
    StringBuilder t = new StringBuilder("| sample | at (s) | heap after GC (MiB) | metaspace (MiB) | RSS (MiB) | fds"
        + " | threads | clients | live streams | sent (Mbit/s, 30 s) | load 1m |\n"
        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Sample s : samples) {
      t.append(String.format("| %s | %.0f | %.1f | %.1f | %.1f | %d | %d | %d | %d | %.1f | %.2f |%n", s.label(), s.at(),
          s.heapKb() / 1024.0, s.metaspaceKb() / 1024.0, s.rssKb() / 1024.0, s.fds(), s.threads(), s.clients(),
          s.streams(), s.sendKbps() / 1000.0, s.load1()));
    }
    return t.toString();
  }

  private void write(List<Sample> samples, Sample after, BenchResult[] results) throws IOException {
    StringBuilder md = new StringBuilder("# Soak\n\n");
    md.append(String.format("%d s, a sample every %d s; %d RTMP + %d HTTP-FLV steady players on %d publishers' streams"
            + " (%s), publish/play churn and bad clients. Heap after `jcmd PID GC.run`; RSS and threads from"
            + " /proc/PID/status, fds from /proc/PID/fd; clients, live streams and send rate from the node's"
            + " API.%n%n", SECONDS, SAMPLE_SECONDS, PLAYERS_PER_PROTOCOL, PLAYERS_PER_PROTOCOL,
        2 * PUBLISHERS_PER_PROTOCOL, MEDIA));
    md.append(table(samples)).append('\n');
    md.append("Bounds: ").append(Bounds.SOAK.describe()).append(".\n\n");
    synchronized (this) {
      md.append("Churn: ").append(churnPublishers).append(" publishers came and left, ").append(churnPlayers)
          .append(" players came and left; problems: ").append(churnProblems.size()).append(".\n\n");
      md.append("Bad clients: ").append(badOutcomes).append(".\n\n");
    }
    if (after != null) {
      for (BenchResult r : results) {
        if (r != null) {
          md.append("Steady ").append(r.url()).append(": ").append(r.connected()).append(" played, ")
              .append(r.failed()).append(" failed, ").append(r.stalled()).append(" stalled; ")
              .append(r.total().videoFrames()).append(" video frames in all.\n\n");
        }
      }
    }
    Files.writeString(OUT.resolve("soak.md"), md.toString());
  }
}
