package io.estuary.rtmp;

import io.estuary.flv.FlvFile;
import io.estuary.flv.FlvTag;
import io.estuary.rtmp.message.Media;
import io.estuary.stream.Consumer;
import io.estuary.stream.PlayOptions;
import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamMessage;
import io.estuary.stream.Subscription;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.SelfSigned;
import io.estuary.testing.RtmpRedirector;
import io.estuary.testing.TestNode;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RtmpClient} against the real node: publish and play, RTMP 302, refusals, RTMPS. */
@ExtendWith(VertxExtension.class)
class RtmpClientTest {

  static TestNode node;
  static EventLoopGroup group;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start();
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void publishedFramesArriveAtAPlayer(Vertx vertx, VertxTestContext test) {
    RtmpClient client = RtmpClient.create(vertx);
    Checkpoint frames = test.laxCheckpoint(30);
    client.play(node.rtmp("live/client"), message -> {
      if (message instanceof Media media && media.isVideo()) {
        frames.flag();
      }
    }).compose(playing -> client.publish(node.rtmp("live/client")))
        .onComplete(test.succeeding(publishing -> publishFile(publishing, Ffmpeg.media("h264-aac-640x360.flv"))));
  }

  @Test
  void aStreamPlayedIntoASourceIsChunkedOnceForItsPlayers(Vertx vertx, VertxTestContext test) throws Exception {
    int chunkSize = 4096;
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/ingest"));
    StreamHub hub = new StreamHub();
    StreamKey key = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "ingest");
    Source source = hub.acquire(key);
    Executor direct = Runnable::run;
    source.startPublish(direct, PlayOptions.defaults(), false, "edge");
    Checkpoint chunked = test.laxCheckpoint(5);
    Subscription player = hub.subscribe(key, new Consumer(direct, new Consumer.Sink() {
      @Override public boolean writable() { return true; }
      @Override public void flush() { }
      @Override public void streamEnded() { }
      @Override public void write(StreamMessage message, long timestamp) {
        if (message.isVideo() && message.payload().readableBytes() > chunkSize) {
          if (message.attachment() != null) {
            chunked.flag();
          } else {
            test.failNow("a video message of " + message.payload().readableBytes() + " bytes without its chunked body");
          }
        }
        message.release();
      }
    }, PlayOptions.defaults()));
    Future<RtmpPlaySession> playing = null;
    try {
      node.awaitPublished("live/ingest");
      playing = RtmpClient.create(vertx, new RtmpClientOptions().setChunkSize(chunkSize))
          .play(node.rtmp("live/ingest"), source);
      assertTrue(test.awaitCompletion(20, TimeUnit.SECONDS), "large frames arrived chunked");
    } finally {
      if (playing != null) {
        // The session publishes into the source on its event loop: it must have stopped before the source ends,
        // or a message arriving after stopPublish would stay in the gop cache.
        playing.compose(RtmpPlaySession::close).await(10, TimeUnit.SECONDS);
      }
      publisher.stop();
      source.stopPublish();
      player.close();
      source.release();
    }
  }

  @Test
  void aPublishToABusyStreamFailsNamingTheStatus(Vertx vertx, VertxTestContext test) {
    RtmpClient client = RtmpClient.create(vertx);
    client.publish(node.rtmp("live/busy"))
        .compose(first -> client.publish(node.rtmp("live/busy")))
        .onComplete(test.failing(e -> test.verify(() -> {
          assertTrue(e.getMessage().contains("NetStream.Publish.BadName"), e.getMessage());
          test.completeNow();
        })));
  }

  @Test
  void playFollowsAnRtmp302ToTheNode(Vertx vertx, VertxTestContext test) throws Exception {
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/moved"));
    Channel redirector = RtmpRedirector.start(group, stream -> node.rtmp("live/" + stream), "NetStream.Play.Reset",
        "NetStream.Play.Start");
    int port = RtmpRedirector.port(redirector);
    node.awaitPublished("live/moved");
    Checkpoint frames = test.laxCheckpoint(10);
    RtmpClient client = RtmpClient.create(vertx);
    client.play("rtmp://127.0.0.1:" + port + "/live/moved", message -> {
      if (message instanceof Media media && media.isVideo()) {
        frames.flag();
      }
    }).onComplete(test.succeeding(playing -> test.verify(() ->
        assertEquals(node.rtmp("live/moved"), playing.url(), "the session plays on the node now"))));
    assertTrue(test.awaitCompletion(20, TimeUnit.SECONDS), "frames through the redirect");
    publisher.stop();
    redirector.close().syncUninterruptibly();
  }

  @Test
  void sixRedirectsInARowFail(Vertx vertx, VertxTestContext test) throws Exception {
    AtomicInteger port = new AtomicInteger();
    AtomicInteger plays = new AtomicInteger();
    Channel redirector = RtmpRedirector.start(group, stream -> {
      plays.incrementAndGet();
      return "rtmp://127.0.0.1:" + port.get() + "/live/" + stream;
    }, "NetStream.Play.Reset", "NetStream.Play.Start");
    port.set(RtmpRedirector.port(redirector));
    RtmpClient.create(vertx).play("rtmp://127.0.0.1:" + port.get() + "/live/loop", message -> { })
        .onComplete(test.failing(e -> test.verify(() -> {
          assertTrue(e.getMessage().contains("too many RTMP 302 redirects"), e.getMessage());
          assertEquals(RtmpClientOptions.DEFAULT_MAX_REDIRECTS + 1, plays.get(), "5 followed, the 6th refused");
          test.completeNow();
        })));
    assertTrue(test.awaitCompletion(20, TimeUnit.SECONDS));
    redirector.close().syncUninterruptibly();
  }

  @Test
  void playsOverRtmps(Vertx vertx, VertxTestContext test, @TempDir Path tls) throws Exception {
    SelfSigned.write(tls.resolve("k.pem"), tls.resolve("c.pem"), "localhost", "DNS:localhost,IP:127.0.0.1");
    try (TestNode secure = TestNode.start(new JsonObject().put("rtmps", new JsonObject().put("enabled", true)
        .put("key", tls.resolve("k.pem").toString()).put("cert", tls.resolve("c.pem").toString())))) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), secure.rtmp("live/tls"));
      try {
        secure.awaitPublished("live/tls");
        Checkpoint frames = test.laxCheckpoint(10);
        // The certificate names 127.0.0.1: trusted, and its name checked (the default hostname verification)
        RtmpClientOptions options = new RtmpClientOptions();
        options.setTrustOptions(new PemTrustOptions().addCertPath(tls.resolve("c.pem").toString()));
        RtmpClient client = RtmpClient.create(vertx, options);
        client.play("rtmps://127.0.0.1:" + secure.rtmpsPort + "/live/tls", message -> {
          if (message instanceof Media media && media.isVideo()) {
            frames.flag();
          }
        }).onComplete(test.succeedingThenComplete());
        assertTrue(test.awaitCompletion(20, TimeUnit.SECONDS), "frames over TLS");
      } finally {
        publisher.stop();
      }
    }
  }

  @Test
  void aFailedTlsHandshakeIsTheReason(Vertx vertx, VertxTestContext test) {
    // The plain RTMP port does not speak TLS: the client says so instead of hanging.
    RtmpClient.create(vertx, new RtmpClientOptions().setTrustAll(true).setHostnameVerificationAlgorithm(""))
        .play("rtmps://127.0.0.1:" + node.rtmpPort + "/live/x", message -> { })
        .onComplete(test.failing(e -> test.verify(() -> {
          assertTrue(e.getMessage().startsWith("TLS failure"), e.getMessage());
          test.completeNow();
        })));
  }

  @Test
  void aRefusedConnectionIsTheReason(Vertx vertx, VertxTestContext test) throws Exception {
    RtmpClient.create(vertx).play("rtmp://127.0.0.1:" + TestNode.freePort() + "/live/x", message -> { })
        .onComplete(test.failing(e -> test.verify(() -> {
          assertTrue(e.getMessage().startsWith("I/O error") && e.getMessage().contains("refused"), e.getMessage());
          test.completeNow();
        })));
  }

  /** Writes every tag of {@code file}, pausing while the socket is full. On the session's event loop. */
  private static void publishFile(RtmpPublishSession publishing, Path file) {
    FlvFile flv;
    try {
      flv = FlvFile.open(file);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("width", 640.0);
    metadata.put("height", 360.0);
    publishing.writeMetadata(metadata);
    Runnable pump = new Runnable() {
      @Override
      public void run() {
        while (!publishing.writeQueueFull() && flv.hasNext()) {
          FlvTag tag = flv.next();
          if (tag.isVideo()) {
            publishing.writeVideo(tag.timestamp(), tag.body());
          } else if (tag.isAudio()) {
            publishing.writeAudio(tag.timestamp(), tag.body());
          } else {
            tag.release();
          }
        }
        if (flv.hasNext()) {
          publishing.drainHandler(v -> run());
        }
      }
    };
    pump.run();
  }
}
