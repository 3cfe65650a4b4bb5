package io.estuary.rtmp;

import io.estuary.amf.Amf0;
import io.estuary.flv.FlvFile;
import io.estuary.flv.FlvTag;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bug 1 of issue 11: an encoder that sends metadata and sequence headers right after {@code publish}, without waiting
 * for NetStream.Publish.Start (srs-librtmp encoders, SRS's sb_rtmp_publish), must not lose them while the publish is
 * being authorized, or no player can ever decode the stream.
 */
@ExtendWith(VertxExtension.class)
class RtmpEarlyMediaTest {

  /** How long the hook service takes to allow a publish: the media sent meanwhile must be kept. */
  static final long PUBLISH_VERDICT_DELAY_MS = 1500;

  static HttpServer hookServer;

  @BeforeAll
  static void startHookService(Vertx vertx, VertxTestContext ctx) {
    vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      boolean publish = "on_publish".equals(body.toJsonObject().getString("action"));
      // The verdict is held on purpose: it is the window in which the early media must be kept.
      vertx.setTimer(publish ? PUBLISH_VERDICT_DELAY_MS : 1,
          t -> request.response().putHeader("Content-Type", "application/json").end("{\"code\":0}"));
    })).listen(0, "127.0.0.1").onComplete(ctx.succeeding(server -> {
      hookServer = server;
      ctx.completeNow();
    }));
  }

  @Test
  void mediaSentRightAfterPublishIsKept() throws Exception {
    String hook = "http://127.0.0.1:" + hookServer.actualPort() + "/hooks";
    JsonObject hooks = new JsonObject().put("enabled", true).put("on_publish", hook);
    JsonObject conf = new JsonObject().put("vhosts",
        new JsonObject().put("__defaultVhost__", new JsonObject().put("http_hooks", hooks)));
    try (TestNode node = TestNode.start(conf);
         TestRtmpClient publisher = TestRtmpClient.connect(node.rtmpPort, "live")) {
      EagerPublisher sender = new EagerPublisher(publisher, Ffmpeg.media("h264-aac-640x360.flv"));
      sender.start();
      try {
        JsonArray streams = new JsonObject(Ffmpeg.probe(node.rtmp("live/eager"), "-show_streams"))
            .getJsonArray("streams");
        JsonObject video = Ffmpeg.stream(streams, "video");
        assertEquals("h264", video.getString("codec_name"));
        assertEquals(640, video.getInteger("width"), "the sequence header sent before Publish.Start reached the player");
        assertEquals(360, video.getInteger("height"));
        JsonObject audio = Ffmpeg.stream(streams, "audio");
        assertEquals("aac", audio.getString("codec_name"));
        assertEquals("44100", audio.getString("sample_rate"));
      } finally {
        sender.interrupt();
        sender.join(10_000);
      }
    }
  }

  /**
   * createStream, publish, then at once the file's metadata, sequence headers and frames, without reading any
   * answer (as srs-librtmp does); frames then follow at the file's pace, looping, until interrupted.
   */
  private static final class EagerPublisher extends Thread {
    private final TestRtmpClient client;
    private final Path file;

    EagerPublisher(TestRtmpClient client, Path file) {
      super("eager-publisher");
      setDaemon(true);
      this.client = client;
      this.file = file;
    }

    @Override
    public void run() {
      try {
        client.send(new CommandMessage(0, "createStream", 2, null));
        client.send(new CommandMessage(1, "publish", 0, null, "eager", "live"));
        long started = System.nanoTime();
        long offset = 0;
        while (!isInterrupted() && client.isActive()) {
          long last = 0;
          try (FlvFile flv = FlvFile.open(file)) {
            while (flv.hasNext() && !isInterrupted()) {
              FlvTag tag = flv.next();
              long timestamp = offset + tag.timestamp();
              last = Math.max(last, tag.timestamp());
              if (tag.isScript()) {
                List<Object> values = new ArrayList<>();
                values.add("@setDataFrame");
                values.addAll(Amf0.readAll(tag.body()));
                tag.release();
                if (offset == 0) {
                  client.send(new DataMessage(1, timestamp, values));
                }
                continue;
              }
              // Paced as ffmpeg's -re paces, after a first second sent at once (SRS's sb_rtmp_publish sends it all).
              // Deliberate pacing, not a wait for a state: a live encoder sends at the media's rate; the first
              // second, sent at once, reaches the node while the hook still holds the verdict
              // (PUBLISH_VERDICT_DELAY_MS), and is what must be kept; the rest keeps the stream live for ffprobe.
              long due = started + TimeUnit.MILLISECONDS.toNanos(timestamp - 1000);
              long wait = due - System.nanoTime();
              if (wait > 0) {
                try {
                  TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                  tag.release();
                  throw e;
                }
              }
              client.send(new Media(tag.type(), 1, timestamp, tag.body()));
            }
          }
          offset += last + 40;
        }
      } catch (InterruptedException e) {
        // the test is done
      } catch (Exception e) {
        if (!isInterrupted()) {
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
