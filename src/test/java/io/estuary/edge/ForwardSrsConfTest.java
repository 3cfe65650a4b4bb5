package io.estuary.edge;

import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;


/**
 * SRS's own forward samples (trunk/conf/forward.master.conf, forward.slave.conf, forward.backend.conf) start as they
 * are and forward, with their ports changed, their pid files under target/ and their log on the console (a test JVM
 * logs to its console).
 */
class ForwardSrsConfTest {

  @Test
  void masterForwardsToSlave() throws Exception {
    int master = TestNode.freePort();
    int slave = TestNode.freePort();
    try (TestNode slaveNode = TestNode.start("""
             # the config for srs to forward
             listen              %d;
             max_connections     1000;
             pid                 target/forward-srs/srs.slave.pid;
             srs_log_tank        console;
             vhost __defaultVhost__ {
             }
             """.formatted(slave));
         TestNode masterNode = TestNode.start("""
             # the config for srs to forward
             listen              %d;
             max_connections     1000;
             pid                 target/forward-srs/srs.master.pid;
             srs_log_tank        console;
             vhost __defaultVhost__ {
                 forward {
                     enabled on;
                     destination 127.0.0.1:%d;
                 }
             }
             """.formatted(master, slave))) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), masterNode.rtmp("live/livestream"));
      try {
        slaveNode.awaitFrames("live/livestream", 10);
        Ffmpeg.assertH264Aac(Ffmpeg.awaitStreams(slaveNode.rtmp("live/livestream"), 2));
      } finally {
        publisher.stop();
      }
    }
  }

  @Test
  void backendForwardsToWhatItAnswers() throws Exception {
    int slave = TestNode.freePort();
    Vertx vertx = Vertx.vertx();
    try (TestNode slaveNode = TestNode.start("listen %d;\nvhost __defaultVhost__ {\n}\n".formatted(slave))) {
      // as SRS's research/api-server answers: rtmp://127.0.0.1:19350/test/teststream, its port changed
      HttpServer backend = vertx.createHttpServer().requestHandler(request -> request.response()
          .end(new JsonObject().put("code", 0).put("data", new JsonObject().put("urls",
              new JsonArray().add("rtmp://127.0.0.1:" + slave + "/test/teststream"))).encode()))
          .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      try (TestNode masterNode = TestNode.start("""
          # the config for srs to forward to slave service
          listen              %d;
          max_connections     1000;
          pid                 target/forward-srs/srs.backend.pid;
          daemon              off;
          srs_log_tank        console;
          vhost __defaultVhost__ {
              forward {
                  enabled on;
                  backend http://127.0.0.1:%d/api/v1/forward;
              }
          }
          """.formatted(TestNode.freePort(), backend.actualPort()))) {
        Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), masterNode.rtmp("live/livestream"));
        try {
          slaveNode.awaitFrames("test/teststream", 10);
          Ffmpeg.assertH264Aac(Ffmpeg.awaitStreams(slaveNode.rtmp("test/teststream"), 2));
        } finally {
          publisher.stop();
        }
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
