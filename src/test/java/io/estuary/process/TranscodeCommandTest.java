package io.estuary.process;

import io.estuary.config.FfmpegEngine;
import io.estuary.config.NodeConfig;
import io.estuary.config.SrsConf;
import io.estuary.config.TranscodeOptions;
import io.estuary.config.VhostConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command lines SRS builds from a transcode engine, and the config's errors. */
class TranscodeCommandTest {

  private static VhostConfig vhost(String conf) {
    return NodeConfig.from(SrsConf.parse(conf, "t.conf", Path.of("."), Map.of())).vhosts().all().iterator().next();
  }

  @Test
  void fullConfsFfsuperEngineInSrsOrder() {
    VhostConfig v = vhost("""
        vhost all.transcode.srs.com {
            transcode {
                enabled on;
                ffmpeg ./objs/ffmpeg/bin/ffmpeg;
                engine ffsuper {
                    enabled on; iformat flv;
                    vfilter { i ./doc/ffmpeg-logo.png; filter_complex 'overlay=10:10'; }
                    vcodec libx264; vbitrate 1500; vfps 25; vwidth 768; vheight 320; vthreads 12;
                    vprofile main; vpreset medium;
                    vparams { t 100; coder 1; b_strategy 2; bf 3; refs 10; }
                    acodec libaacplus; abitrate 70; asample_rate 44100; achannels 2;
                    aparams { profile:a aac_low; }
                    oformat flv;
                    output rtmp://127.0.0.1:[port]/[app]?vhost=[vhost]/[stream]_[engine];
                }
                engine copy { enabled on; vcodec copy; acodec copy; aparams { bsf:a aac_adtstoasc; ar 8000; }
                    output rtmp://127.0.0.1:[port]/[app]?vhost=[vhost]/[stream]_[engine]; }
                engine off { enabled off; vcodec vn; acodec an; }
            }
        }
        """);
    TranscodeOptions t = v.transcodes().get(0);
    List<FfmpegEngine> engines = t.activeEngines();
    assertEquals(2, engines.size(), "the engine that is off is ignored, unchecked");
    String input = "rtmp://127.0.0.1:1935/live?vhost=all.transcode.srs.com/s";
    assertEquals("ffmpeg -f flv -i " + input + " -i ./doc/ffmpeg-logo.png -filter_complex overlay=10:10 -vcodec libx264"
            + " -b:v 1500000 -r 25 -s 768x320 -aspect 768:320 -threads 12 -profile:v main -preset medium -t 100 -coder 1"
            + " -b_strategy 2 -bf 3 -refs 10 -acodec libaacplus -b:a 70000 -ar 44100 -ac 2 -profile:a aac_low -f flv -y out",
        String.join(" ", FfmpegCommand.argv("ffmpeg", List.of(), input, engines.get(0), "out")));
    assertEquals("ffmpeg -f flv -i " + input + " -vcodec copy -acodec copy -bsf:a aac_adtstoasc -f flv -y out",
        String.join(" ", FfmpegCommand.argv("ffmpeg", List.of(), input, engines.get(1), "out")),
        "a copy takes no encoder settings, of aparams only the ADTS filter");
    assertEquals("ffmpeg", FfmpegCommand.binary(t.ffmpeg()), "SRS's ./objs ffmpeg is missing here: the PATH's");
  }

  @Test
  void variables() {
    ZonedDateTime when = ZonedDateTime.of(2026, 3, 4, 5, 6, 7, 8_000_000, ZoneOffset.UTC);
    assertEquals("rtmp://127.0.0.1:19350/live?vhost=v/s_hd /2026/03/04/05-06-07.008-" + when.toInstant().toEpochMilli(),
        Template.apply("rtmp://127.0.0.1:[port]/[app]?vhost=[vhost]/[stream]_[engine] /[2006]/[01]/[02]/[15]-[04]-[05].[999]-[timestamp]",
            Map.of("vhost", "v", "port", "19350", "app", "live", "stream", "s", "engine", "hd"), when));
    Command c = Command.parse(List.of("ffmpeg", "-i", "x", "./[stream].flv", "1>/tmp/o.log", "2", ">", "/tmp/e.log"));
    assertEquals(List.of("ffmpeg", "-i", "x", "./[stream].flv"), c.argv());
    assertEquals(Path.of("/tmp/o.log"), c.stdout());
    assertEquals(Path.of("/tmp/e.log"), c.stderr());
  }

  @Test
  void unusableBlocksAreClearErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vhost("""
        vhost v { transcode { enabled on; ffmpeg ffmpeg; engine x { enabled on; vcodec vn; acodec an; output o; } } }
        """));
    assertTrue(e.getMessage().contains("vhost v: transcode: engine x: vcodec vn and acodec an leave nothing to output"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> vhost("""
        vhost v { ingest cam { enabled on; input { type rtsp; url u; } ffmpeg ffmpeg; engine { output o; } } }
        """));
    assertTrue(e.getMessage().contains("vhost v: ingest cam: input.type 'rtsp' is not file|stream"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> vhost("""
        vhost v { ingest cam { enabled on; input { type stream; url u; } ffmpeg ffmpeg; engine { enabled off; } } }
        """));
    assertTrue(e.getMessage().contains("ingest cam: engine: output is required"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> vhost("""
        vhost v { transcode { enabled on; engine x { enabled on; vcodec libx264; vbitrate fast; acodec aac; output o; } } }
        """));
    assertTrue(e.getMessage().contains("engine x: vbitrate: 'fast' is not a whole number >= 0"), e.getMessage());
  }

  @Test
  void stderrIsLoggedWithinABudget() {
    Logger log = Logger.getLogger("io.estuary.process.test");
    StderrLog stderr = new StderrLog(log, "[c] test: ");
    for (int i = 0; i < StderrLog.LINES_PER_WINDOW + 5; i++) {
      stderr.line("line " + i, 1000);
    }
    assertEquals(5, stderr.suppressed());
    stderr.line("frame=  10 fps=25", 1001);
    assertEquals(5, stderr.suppressed(), "progress lines are not counted");
    stderr.line("later", 1000 + StderrLog.WINDOW_MS);
    assertEquals(0, stderr.suppressed(), "a new window reports what was left out and logs again");
  }
}
