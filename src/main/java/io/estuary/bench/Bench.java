package io.estuary.bench;

import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.RtmpClientOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.ThreadExecutorMap;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A load run: M RTMP publishers looping a file in real time, then N players (RTMP or HTTP-FLV) connected at the ramp
 * rate and spread over the publishers' streams, for the duration; a progress line each second and a
 * {@link BenchResult} at the end.
 *
 * <p>All clients share one Vert.x instance's event loops ({@code --threads}, epoll when available): RTMP publishers
 * and players are {@link RtmpClient} sessions, HTTP-FLV players Netty channels registered on the same loops. A
 * player's counters are written only by its event loop; the calling thread reads them once a second to report, detect
 * stalls and ramp up. Latency samples go to one {@link LatencyHistogram} per event loop, merged when reported.
 *
 * <p>After {@code --warmup} seconds the measurement window starts: each event loop resets its window histogram, the
 * players' counters are noted, and the server's CPU is read ({@code --server-pid}). The result reports the window
 * and the whole run; who failed or stalled is counted over the whole run.
 */
public final class Bench {

  private static final long PUBLISH_TIMEOUT_SECONDS = 15;
  private static final long TICK_MILLIS = 10;

  private final BenchOptions options;
  private final PrintStream out;
  private volatile boolean stopping;

  private Vertx vertx;
  private RtmpClient rtmpClient;
  private Class<? extends SocketChannel> channelType;
  /** The event loops, one Vert.x context on each, clients spread over them in turn. */
  private final List<Loop> loops = new ArrayList<>();
  private final Map<EventExecutor, LoopLatency> histograms = new IdentityHashMap<>();
  private final List<RtmpPlayer> rtmpPlayers = new ArrayList<>();
  private final List<Publisher> publishers = new ArrayList<>();
  private final List<BenchOptions.Target> publisherTargets = new ArrayList<>();
  private final List<PlayerStats> players = new ArrayList<>();
  private final List<Channel> channels = new ArrayList<>();
  private SendLog[] sendLogs = new SendLog[0];

  // Reporter state, owned by the calling thread
  private long[] lastBytes = new long[0];
  private boolean[] stalledNow = new boolean[0];
  private boolean[] everStalled = new boolean[0];
  private long lastReportNanos;
  private boolean windowStarted;
  private long windowStartNanos;
  private ServerCpu serverCpu;
  private long cpuAtStart = -1;
  private long cpuAtWindow = -1;

  /** A Vert.x event-loop context and the Netty event loop under it. */
  private record Loop(Context context, EventLoop eventLoop) {
  }

  /** An event loop's latency samples: the whole run's, and the window's (reset on that loop when it starts). */
  private record LoopLatency(LatencyHistogram total, LatencyHistogram window) {
  }

  public Bench(BenchOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the bench to its end on the calling thread. */
  public static BenchResult run(BenchOptions options, PrintStream out) throws Exception {
    return new Bench(options, out).run();
  }

  public BenchResult run() throws Exception {
    options.validate();
    BenchOptions.Target playTarget = BenchOptions.target(options.url());
    if (!options.serverPids().isEmpty()) {
      for (long pid : options.serverPids()) {
        try {
          ServerCpu.ticks(pid);
        } catch (IOException e) {
          throw new BenchOptions.UsageException("--server-pid: " + e.getMessage());
        }
      }
      serverCpu = new ServerCpu(options.serverPids(), ServerCpu.clockTicksPerSecond());
      cpuAtStart = serverCpu.ticks("at the bench's start");
    }
    int streams = Math.max(1, options.publishers());
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.threads()).setPreferNativeTransport(true));
    FlvLoop file = null;
    long start = System.nanoTime();
    try {
      startLoops();
      if (options.publishers() > 0) {
        file = FlvLoop.load(options.file(), PooledByteBufAllocator.DEFAULT);
        if (!startPublishers(file)) {
          return finish(start, playTarget);
        }
      }
      start = System.nanoTime();
      lastReportNanos = start;
      long end = start + (long) (options.duration() * 1e9);
      long windowStart = start + (long) (options.warmup() * 1e9);
      long nextReport = start + TimeUnit.SECONDS.toNanos(1);
      int started = 0;
      while (true) {
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        if (!windowStarted && now >= windowStart) {
          startWindow(start);
        }
        long due = Math.min(options.players(), (long) Math.floor((now - start) / 1e9 * options.ramp()) + 1);
        while (started < due) {
          startPlayer(started, playTarget.forStream(started % streams, options.publishers()));
          started++;
        }
        if (now >= nextReport) {
          report(now, start);
          nextReport += TimeUnit.SECONDS.toNanos(1);
        }
        Thread.sleep(Math.max(1, Math.min(TICK_MILLIS, TimeUnit.NANOSECONDS.toMillis(Math.min(end, nextReport) - now))));
      }
      return finish(start, playTarget);
    } finally {
      stopping = true;
      for (Channel channel : channels) {
        channel.close();
      }
      for (Channel channel : channels) {
        channel.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
      if (rtmpClient != null) {
        try {
          rtmpClient.close().await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          out.println("closing the RTMP sessions: " + e.getMessage());
        }
      }
      vertx.close().await(10, TimeUnit.SECONDS);
      if (file != null) {
        file.close();
      }
    }
  }

  /** The warm-up is over: from now on the window counts latency samples, player bytes and frames, server CPU. */
  private void startWindow(long start) {
    List<Future<?>> resets = new ArrayList<>();
    // Reset where the samples are written, so that none recorded before the reset survives it
    histograms.forEach((loop, latency) -> resets.add(loop.submit(latency.window()::reset)));
    for (Future<?> reset : resets) {
      reset.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    long now = System.nanoTime();
    for (PlayerStats p : players) {
      p.startWindow(now);
    }
    if (serverCpu != null) {
      cpuAtWindow = serverCpu.ticks("when the window started");
    }
    windowStartNanos = now;
    windowStarted = true;
    if (options.warmup() > 0 && !options.quiet()) {
      out.printf("[%5.0fs] warm-up over: the measurement window starts (latency, kbps, bytes%s counted anew)%n",
          (now - start) / 1e9, serverCpu == null ? "" : ", server CPU");
    }
  }

  private boolean startPublishers(FlvLoop file) throws Exception {
    BenchOptions.Target base = BenchOptions.target(options.publishUrl());
    sendLogs = new SendLog[options.publishers()];
    for (int i = 0; i < options.publishers(); i++) {
      BenchOptions.Target target = base.forStream(i, options.publishers());
      Publisher publisher = new Publisher(i, target, file, () -> stopping);
      sendLogs[i] = publisher.sendLog;
      publishers.add(publisher);
      publisherTargets.add(target);
      Loop loop = loops.get(i % loops.size());
      loop.context().runOnContext(v -> publisher.start(rtmpClient, loop.eventLoop()));
    }
    boolean ok = true;
    for (Publisher publisher : publishers) {
      try {
        publisher.published.get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        out.println("publisher " + publisher.index + " (" + publisherTargets.get(publisher.index) + ") did not publish: "
            + cause);
        ok = false;
      }
    }
    return ok;
  }

  /**
   * One Vert.x context per event loop (a verticle instance each, which Vert.x spreads over the loops in turn), the
   * Netty loop under each for HTTP-FLV channels and precise timers, its latency histograms, and the RTMP client.
   */
  private void startLoops() throws Exception {
    ConcurrentLinkedQueue<Loop> started = new ConcurrentLinkedQueue<>();
    vertx.deployVerticle(() -> new AbstractVerticle() {
      @Override
      public void start() {
        started.add(new Loop(context, (EventLoop) ThreadExecutorMap.currentExecutor()));
      }
    }, new DeploymentOptions().setInstances(options.threads())).await(30, TimeUnit.SECONDS);
    loops.addAll(started);
    for (Loop loop : loops) {
      histograms.putIfAbsent(loop.eventLoop(), new LoopLatency(new LatencyHistogram(), new LatencyHistogram()));
    }
    channelType = Transport.of(vertx.isNativeTransportEnabled()).channelType();
    // A load tool trusts any certificate (RTMPS); BoringSSL when it loads.
    RtmpClientOptions clientOptions = new RtmpClientOptions().setTrustAll(true).setHostnameVerificationAlgorithm("");
    clientOptions.setSslEngineOptions(OpenSsl.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions());
    rtmpClient = RtmpClient.create(vertx, clientOptions);
  }

  private Bootstrap bootstrap() {
    return new Bootstrap().channel(channelType)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
  }

  private void startPlayer(int index, BenchOptions.Target target) {
    PlayerStats stats = new PlayerStats(index, target.toString(), sendLogs);
    players.add(stats);
    Loop loop = loops.get(index % loops.size());
    LoopLatency latency = histograms.get(loop.eventLoop());
    stats.latency(latency.total(), latency.window());
    if (!target.http()) {
      RtmpPlayer player = new RtmpPlayer(stats, () -> stopping);
      rtmpPlayers.add(player);
      loop.context().runOnContext(v -> player.start(rtmpClient, target));
      return;
    }
    ChannelFuture connect = bootstrap().group(loop.eventLoop()).handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        HttpFlvPlayer.init(ch.pipeline(), target, stats, () -> stopping);
      }
    }).connect(target.host(), target.port());
    channels.add(connect.channel());
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        stats.onEnd("connect: " + f.cause().getMessage(), true);
      }
    });
  }

  /** Stall detection and the per-second progress line. */
  private void report(long now, long start) {
    int n = players.size();
    if (lastBytes.length < n) {
      lastBytes = Arrays.copyOf(lastBytes, options.players());
      stalledNow = Arrays.copyOf(stalledNow, options.players());
      everStalled = Arrays.copyOf(everStalled, options.players());
    }
    double interval = Math.max(1e-3, (now - lastReportNanos) / 1e9);
    lastReportNanos = now;
    long stallNanos = (long) (options.stallSeconds() * 1e9);
    int playing = 0;
    int failed = 0;
    int stalled = 0;
    long deltaTotal = 0;
    double[] kbps = new double[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      PlayerStats p = players.get(i);
      long bytes = p.bytes();
      long delta = bytes - lastBytes[i];
      lastBytes[i] = bytes;
      deltaTotal += delta;
      PlayerStats.State state = p.state();
      if (state == PlayerStats.State.FAILED) {
        failed++;
      }
      checkStall(i, p, now, stallNanos);
      if (stalledNow[i]) {
        stalled++;
      }
      if (state == PlayerStats.State.PLAYING) {
        playing++;
        kbps[k++] = delta * 8 / 1000.0 / interval;
      }
    }
    if (options.quiet()) {
      return;
    }
    Arrays.sort(kbps, 0, k);
    LatencyHistogram latency = mergedLatency(LoopLatency::window); // the run so far until the window starts
    out.printf("[%5.0fs] players %d/%d playing, %d failed, %d stalled | %.2f Mbps | kbps min %.0f median %.0f"
            + " | latency p50 %s p99 %s%n",
        (now - start) / 1e9, playing, options.players(), failed, stalled, deltaTotal * 8 / 1e6 / interval,
        k == 0 ? 0 : kbps[0], k == 0 ? 0 : kbps[k / 2], millis(latency, 50), millis(latency, 99));
  }

  private void checkStall(int i, PlayerStats p, long now, long stallNanos) {
    long playStart = p.playStartNanos();
    PlayerStats.State state = p.state();
    boolean live = state == PlayerStats.State.PLAYING || state == PlayerStats.State.CONNECTING;
    if (playStart == 0 || !live) {
      stalledNow[i] = false;
      return;
    }
    long last = Math.max(playStart, p.lastMediaNanos());
    stalledNow[i] = now - last > stallNanos;
    everStalled[i] |= stalledNow[i];
  }

  private static String millis(LatencyHistogram h, double percentile) {
    return h.count() == 0 ? "-" : String.format("%.0fms", h.percentileMicros(percentile) / 1000.0);
  }

  /**
   * The whole run's and the window's histograms, each loop's pair copied in one task on that loop: players still
   * record while the summary is made, and a sample must not land in one of the two and not yet in the other.
   */
  private LoopLatency finalLatency() {
    LoopLatency merged = new LoopLatency(new LatencyHistogram(), new LatencyHistogram());
    List<Future<?>> copies = new ArrayList<>();
    histograms.forEach((loop, latency) -> copies.add(loop.submit(() -> {
      synchronized (merged) {
        latency.total().addTo(merged.total());
        latency.window().addTo(merged.window());
      }
    })));
    for (Future<?> copy : copies) {
      copy.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    synchronized (merged) {
      return merged;
    }
  }

  private LatencyHistogram mergedLatency(Function<LoopLatency, LatencyHistogram> which) {
    LatencyHistogram all = new LatencyHistogram();
    histograms.values().forEach(h -> which.apply(h).addTo(all));
    return all;
  }

  private BenchResult finish(long start, BenchOptions.Target playTarget) {
    long now = System.nanoTime();
    long cpuAtEnd = serverCpu == null ? -1 : serverCpu.ticks("at the end");
    report(now, start);
    if (!windowStarted) { // the publishers failed: no run, no warm-up
      windowStartNanos = start;
      cpuAtWindow = cpuAtStart;
    }
    int n = players.size();
    List<BenchResult.PlayerResult> results = new ArrayList<>(n);
    Map<String, Integer> failures = new LinkedHashMap<>();
    int connected = 0;
    int failed = 0;
    int stalled = 0;
    Totals total = new Totals(n);
    Totals window = new Totals(n);
    for (int i = 0; i < n; i++) {
      PlayerStats p = players.get(i);
      PlayerStats.State state = p.state();
      long playStart = p.playStartNanos();
      long endNanos = p.endNanos() != 0 ? p.endNanos() : now;
      double seconds = playStart == 0 ? 0 : Math.max(0, (endNanos - playStart) / 1e9);
      double rate = seconds > 0 ? p.bytes() * 8 / 1000.0 / seconds : 0;
      double windowSeconds = playStart == 0 ? 0
          : Math.max(0, (endNanos - Math.max(playStart, p.windowStartNanos())) / 1e9);
      double windowRate = windowSeconds > 0 ? p.windowBytes() * 8 / 1000.0 / windowSeconds : 0;
      boolean played = p.videoFrames() + p.audioFrames() > 0 || state == PlayerStats.State.PLAYING;
      if (played) {
        connected++;
      }
      if (state == PlayerStats.State.FAILED) {
        failed++;
        failures.merge(p.failure(), 1, Integer::sum);
      }
      if (everStalled[i]) {
        stalled++;
      }
      total.add(played, seconds, rate, p.bytes(), p.mediaBytes(), p.videoFrames(), p.audioFrames());
      window.add(played, windowSeconds, windowRate, p.windowBytes(), p.windowMediaBytes(), p.windowVideoFrames(),
          p.windowAudioFrames());
      results.add(new BenchResult.PlayerResult(i, p.url, state.name(), p.failure(), everStalled[i], p.bytes(),
          p.mediaBytes(), p.videoFrames(), p.audioFrames(), seconds, rate, p.windowBytes(), windowSeconds,
          windowRate));
    }
    List<BenchResult.PublisherResult> pubs = new ArrayList<>();
    for (Publisher p : publishers) {
      pubs.add(new BenchResult.PublisherResult(p.index, publisherTargets.get(p.index).toString(), p.state().name(),
          p.failure(), p.videoSent(), p.bytesSent()));
    }
    BenchResult.ServerCpuResult cpu = serverCpu == null ? null
        : new BenchResult.ServerCpuResult(serverCpu.pids(), serverCpu.ticksPerSecond(),
            serverCpu.seconds(cpuAtStart, cpuAtEnd), serverCpu.seconds(cpuAtWindow, cpuAtEnd), serverCpu.errors());
    LoopLatency latency = finalLatency();
    return new BenchResult(playTarget.toString(), options.players(), options.publishers(), options.warmup(),
        connected, failed, stalled, total.figures((now - start) / 1e9, latency.total()),
        window.figures((now - windowStartNanos) / 1e9, latency.window()), cpu, failures, results, pubs);
  }

  /** Sums over the players for one span (the whole run or the window). */
  private static final class Totals {
    private final double[] kbps;
    private int k;
    private long bytes;
    private long mediaBytes;
    private long video;
    private long audio;

    Totals(int players) {
      kbps = new double[players];
    }

    /** One player: its kbps counts when it played at least 0.5 s of the span. */
    void add(boolean played, double seconds, double rate, long bytes, long mediaBytes, long video, long audio) {
      if (played && seconds >= 0.5) {
        kbps[k++] = rate;
      }
      this.bytes += bytes;
      this.mediaBytes += mediaBytes;
      this.video += video;
      this.audio += audio;
    }

    BenchResult.Figures figures(double seconds, LatencyHistogram latency) {
      Arrays.sort(kbps, 0, k);
      double mean = k == 0 ? 0 : Arrays.stream(kbps, 0, k).sum() / k;
      return new BenchResult.Figures(seconds, bytes, mediaBytes, video, audio, k == 0 ? 0 : kbps[0],
          k == 0 ? 0 : kbps[k / 2], mean, seconds > 0 ? bytes * 8 / 1e6 / seconds : 0,
          BenchResult.Latency.of(latency));
    }
  }
}
