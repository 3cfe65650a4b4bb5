package io.estuary.process;

import io.estuary.config.SrsConf;
import io.estuary.stream.Source;
import io.estuary.stream.StreamKey;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SRS's shipped ingest.conf, ffmpeg.transcode.conf, transcode2hls.audio.only.conf, full.conf's copy transcode vhost
 * and exec.conf, as SRS ships them but for the media path, the output folder and the port (the test node's): each
 * parses, and its processes start and do what the file says. SRS's {@code ./objs/ffmpeg/bin/ffmpeg} does not exist
 * here, so the ffmpeg on the PATH runs.
 */
class IngestTranscodeExecConfsTest {

  @TempDir
  Path dir;

  private static TestNode start(String conf) throws Exception {
    JsonObject parsed = SrsConf.read(conf, "srs.conf", Path.of("."), Map.of()).config().copy();
    return TestNode.start(IngestTest.withoutListen(parsed));
  }

  private static boolean published(TestNode node, StreamKey key) {
    Source source = node.node.hub().get(key);
    return source != null && source.isPublishing();
  }

  @Test
  void ingestConf() throws Exception {
    try (TestNode node = start("""
        listen              1935;
        max_connections     1000;
        vhost __defaultVhost__ {
            ingest livestream {
                enabled      on;
                input {
                    type    file;
                    url     %s;
                }
                ffmpeg      ./objs/ffmpeg/bin/ffmpeg;
                engine {
                    enabled          off;
                    output          rtmp://127.0.0.1:[port]/live?vhost=[vhost]/livestream;
                }
            }
        }
        """.formatted(Ffmpeg.media("h264-aac-640x360.flv")))) {
      node.awaitPublished("live/livestream");
      Ffmpeg.assertDecoded(List.of(Ffmpeg.play(node.rtmp("live/livestream"), 3)), 3);
    }
  }

  /** SRS's transcode samples encode audio with libfdk_aac, which Debian's ffmpeg lacks: the child starts and fails. */
  @Test
  void ffmpegTranscodeConfAndTranscode2hlsAudioOnlyConfStartTheirEngines() throws Exception {
    for (String conf : List.of("""
        listen              1935;
        max_connections     1000;
        daemon              off;
        srs_log_tank        console;
        vhost __defaultVhost__ {
            transcode {
                enabled     on;
                ffmpeg      ./objs/ffmpeg/bin/ffmpeg;
                engine ff {
                    enabled         on;
                    vfilter {
                    }
                    vcodec          libx264;
                    vthreads        4;
                    vprofile        main;
                    vpreset         medium;
                    vparams {
                    }
                    acodec          libfdk_aac;
                    aparams {
                    }
                    output          rtmp://127.0.0.1:[port]/[app]?vhost=[vhost]/[stream]_[engine];
                }
            }
        }
        """, """
        listen              1935;
        max_connections     1000;
        vhost __defaultVhost__ {
            hls {
                enabled         on;
                hls_fragment    10;
                hls_window      60;
                hls_path        %s;
                hls_m3u8_file   [app]/[stream].m3u8;
                hls_ts_file     [app]/[stream]-[seq].ts;
            }
            transcode {
                enabled     on;
                ffmpeg      ./objs/ffmpeg/bin/ffmpeg;
                engine ff {
                    enabled         on;
                    vcodec          copy;
                    acodec          libfdk_aac;
                    aparams {
                    }
                    output          rtmp://127.0.0.1:[port]/[app]?vhost=[vhost]/[stream]_[engine];
                }
            }
        }
        """.formatted(dir))) {
      try (TestNode node = start(conf)) {
        StreamKey key = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "livestream");
        Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/livestream"));
        try {
          node.awaitPublished("live/livestream");
          ChildProcess ff = Await.value(Duration.ofSeconds(15), () -> node.node.processes().of(key),
              l -> l.size() == 1 && l.get(0).starts() >= 1, () -> "the ff engine's ffmpeg started").get(0);
          assertEquals("transcode", ff.kind());
          assertTrue(ff.argv().containsAll(List.of("-acodec", "libfdk_aac")), ff.argv().toString());
          assertTrue(ff.argv().get(ff.argv().size() - 1).endsWith("/live?vhost=__defaultVhost__/livestream_ff"));
        } finally {
          publisher.stop();
        }
      }
    }
  }

  @Test
  void fullConfsCopyTranscodeVhost() throws Exception {
    try (TestNode node = start("""
        vhost copy.transcode.srs.com {
            transcode {
                enabled     on;
                ffmpeg      ./objs/ffmpeg/bin/ffmpeg;
                engine copy {
                    enabled         on;
                    vcodec          copy;
                    acodec          copy;
                    output          rtmp://127.0.0.1:[port]/[app]?vhost=[vhost]/[stream]_[engine];
                }
            }
        }
        """)) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"),
          node.rtmp("live?vhost=copy.transcode.srs.com/livestream"));
      try {
        StreamKey copy = new StreamKey("copy.transcode.srs.com", "live", "livestream_copy");
        Await.until(Duration.ofSeconds(30), () -> published(node, copy), () -> copy + " is published");
        Ffmpeg.assertDecoded(List.of(Ffmpeg.play(node.rtmp("live?vhost=copy.transcode.srs.com/livestream_copy"), 3)), 3);
      } finally {
        publisher.stop();
      }
    }
  }

  @Test
  void execConf() throws Exception {
    try (TestNode node = start("""
        listen              1935;
        max_connections     1000;
        vhost __defaultVhost__ {
            exec {
                enabled     on;
                publish     ./objs/ffmpeg/bin/ffmpeg -f flv -i [url] -c copy -y %s/[stream].flv;
            }
        }
        """.formatted(dir))) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/livestream"));
      try {
        node.awaitPublished("live/livestream");
        Path flv = dir.resolve("livestream.flv");
        Await.until(Duration.ofSeconds(20), () -> Files.exists(flv) && flv.toFile().length() > 50_000,
            () -> "exec records " + flv);
      } finally {
        publisher.stop();
      }
    }
  }
}
