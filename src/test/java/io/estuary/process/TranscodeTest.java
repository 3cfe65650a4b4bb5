package io.estuary.process;

import io.estuary.config.SrsConf;
import io.estuary.stream.StreamKey;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SRS's transcode: each publish gets an ffmpeg per engine, whose output stream plays at the engine's size. */
class TranscodeTest {

  @Test
  void anEnginesOutputAppearsAtItsSizeAndIsNotTranscodedAgain() throws Exception {
    JsonObject conf = IngestTest.withoutListen(SrsConf.parse("""
        vhost __defaultVhost__ {
            transcode {
                enabled on;
                ffmpeg ./objs/ffmpeg/bin/ffmpeg;
                engine sd {
                    enabled on;
                    vcodec libx264; vbitrate 300; vfps 25; vwidth 320; vheight 180;
                    vprofile baseline; vpreset ultrafast;
                    vparams { g 25; }
                    acodec aac; abitrate 64; asample_rate 44100; achannels 2;
                    output rtmp://127.0.0.1:[port]/[app]?vhost=[vhost]/[stream]_[engine];
                }
            }
        }
        """, "transcode.conf", Path.of("."), Map.of()).copy());
    try (TestNode node = TestNode.start(conf)) {
      StreamKey source = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "s");
      StreamKey output = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "s_sd");
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/s"));
      long pid;
      try {
        node.awaitPublished("live/s");
        node.awaitPublished("live/s_sd");
        List<ChildProcess> children = node.node.processes().of(source);
        assertEquals(1, children.size());
        ChildProcess transcode = children.get(0);
        pid = transcode.pid();
        assertTrue(String.join(" ", transcode.argv()).matches("ffmpeg -f flv -i rtmp://127\\.0\\.0\\.1:\\d+/live\\?vhost="
            + "__defaultVhost__/s -vcodec libx264 -b:v 300000 -r 25 -s 320x180 -aspect 320:180 -profile:v baseline "
            + "-preset ultrafast -g 25 -acodec aac -b:a 64000 -ar 44100 -ac 2 -f flv -y rtmp://127\\.0\\.0\\.1:\\d+/"
            + "live\\?vhost=__defaultVhost__/s_sd"), "SRS's command line, the missing ./objs ffmpeg replaced: "
            + transcode.argv());

        JsonArray streams = new JsonObject(Ffmpeg.probe(node.rtmp("live/s_sd"), "-show_streams")).getJsonArray("streams");
        JsonObject video = Ffmpeg.stream(streams, "video");
        assertEquals(320, video.getInteger("width"));
        assertEquals(180, video.getInteger("height"));
        assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
        Ffmpeg.Run player = Ffmpeg.play(node.rtmp("live/s_sd"), 4);
        Ffmpeg.assertDecoded(List.of(player), 4);
        assertTrue(node.node.processes().of(output).isEmpty(), "the output is not transcoded again (no s_sd_sd)");
      } finally {
        publisher.stop();
      }
      node.awaitUnpublished("live/s");
      Await.until(Duration.ofSeconds(15), () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          () -> "the transcode stops with its stream");
      node.awaitUnpublished("live/s_sd");
      assertTrue(node.node.processes().all().isEmpty());
      assertFalse(node.node.hub().get(output) != null && node.node.hub().get(output).isPublishing());
    }
  }
}
