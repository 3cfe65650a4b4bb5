package io.estuary.rtmp;

import io.estuary.flv.FlvFile;
import io.estuary.flv.FlvTag;
import io.estuary.rtmp.message.Media;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.List;

import static io.estuary.rtmp.RtmpCapabilities.CAN_FORWARD;
import static io.estuary.rtmp.RtmpCapabilities.CAPS_EX_MULTITRACK;
import static io.estuary.rtmp.RtmpCapabilities.CAPS_EX_RECONNECT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Enhanced RTMP v2 connect negotiation against the real node: a client that announces capabilities learns Estuary's;
 * one that announces nothing gets SRS's reply and publishes and plays as before, next to one that does.
 */
@ExtendWith(VertxExtension.class)
class RtmpConnectNegotiationTest {

  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static RtmpClientOptions enhanced() {
    return new RtmpClientOptions().setCapsEx(CAPS_EX_RECONNECT | CAPS_EX_MULTITRACK)
        .setFourCcList(List.of("hvc1", "av01", "Opus"));
  }

  @Test
  void aClientAnnouncingCapabilitiesLearnsEstuarys(Vertx vertx, VertxTestContext test) {
    RtmpClient client = RtmpClient.create(vertx, enhanced());
    client.connect(node.rtmp("live")).onComplete(test.succeeding(session -> test.verify(() -> {
      RtmpCapabilities server = session.serverCapabilities();
      assertEquals(CAPS_EX_RECONNECT | CAPS_EX_MULTITRACK, server.capsEx(), "Reconnect and Multitrack");
      for (String video : List.of("avc1", "hvc1", "av01", "vp09", "vp08")) {
        assertEquals(CAN_FORWARD, server.videoFlags(video), video);
      }
      for (String audio : List.of("mp4a", ".mp3", "Opus", "fLaC", "ac-3", "ec-3")) {
        assertEquals(CAN_FORWARD, server.audioFlags(audio), audio);
      }
      session.close();
      test.completeNow();
    })));
  }

  @Test
  void aLegacyPlayerPlaysAnEnhancedPublisher(Vertx vertx, VertxTestContext test) {
    relay(vertx, test, "from-enhanced", enhanced(), new RtmpClientOptions());
  }

  @Test
  void anEnhancedPlayerPlaysALegacyPublisher(Vertx vertx, VertxTestContext test) {
    relay(vertx, test, "from-legacy", new RtmpClientOptions(), enhanced());
  }

  /** A player with {@code playing} options gets video frames from a publisher with {@code publishing} options. */
  private static void relay(Vertx vertx, VertxTestContext test, String stream, RtmpClientOptions publishing,
                            RtmpClientOptions playing) {
    RtmpClient publisher = RtmpClient.create(vertx, publishing);
    RtmpClient player = RtmpClient.create(vertx, playing);
    Checkpoint frames = test.laxCheckpoint(30);
    player.play(node.rtmp("live/" + stream), message -> {
      if (message instanceof Media media && media.isVideo()) {
        frames.flag();
      }
    }).compose(played -> publisher.connect(node.rtmp("live"))).compose(session -> {
      test.verify(() -> assertEquals(publishing.capabilities().announced(), session.serverCapabilities().announced(),
          "Estuary answers capabilities to a client that announced some, and only to it"));
      return session.publish(stream);
    }).onComplete(test.succeeding(RtmpConnectNegotiationTest::writeFile));
  }

  /** Every tag of the test file, at once (a publisher's burst; the socket buffers it). On the session's event loop. */
  private static void writeFile(RtmpPublishSession publishing) {
    try (FlvFile flv = FlvFile.open(Ffmpeg.media("h264-aac-640x360.flv"))) {
      while (flv.hasNext()) {
        FlvTag tag = flv.next();
        if (tag.isVideo()) {
          publishing.writeVideo(tag.timestamp(), tag.body());
        } else if (tag.isAudio()) {
          publishing.writeAudio(tag.timestamp(), tag.body());
        } else {
          tag.release();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
