package io.estuary.rtmp;

import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.SelfSigned;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RTMPS on BoringSSL, IPv6, several endpoints, and the start failures that name what is wrong. */
class ListenersTest {

  @TempDir
  static Path tls;

  @BeforeAll
  static void certificates() throws Exception {
    // A self-signed certificate, and a second key that does not belong to it.
    for (String name : List.of("server", "other", "b.example")) {
      String cn = name.equals("b.example") ? name : "localhost";
      SelfSigned.write(tls.resolve(name + ".key"), tls.resolve(name + ".crt"), cn, "DNS:" + cn);
    }
  }

  private static JsonObject rtmps(String key, String cert) {
    return new JsonObject().put("rtmps", new JsonObject().put("enabled", true).put("key", key).put("cert", cert));
  }

  @Test
  void publishOverRtmpsPlayOverRtmpsAndRtmp() throws Exception {
    try (LogCapture log = LogCapture.of("io.estuary.node");
         TestNode node = TestNode.start(rtmps(tls.resolve("server.key").toString(), tls.resolve("server.crt").toString()))) {
      assertFalse(log.await(l -> l.contains("TLS engine OpenSSL (BoringSSL)"), 5).isEmpty(),
          "the native engine is in use on Linux x86-64: " + log.lines());
      String rtmps = "rtmps://127.0.0.1:" + node.rtmpsPort + "/live/secure";
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), rtmps);
      try {
        node.awaitPublished("live/secure");
        Ffmpeg.Run overTls = Ffmpeg.play(rtmps, 4);
        Ffmpeg.Run plain = Ffmpeg.play(node.rtmp("live/secure"), 4);
        Ffmpeg.assertDecoded(List.of(overTls, plain), 4);
      } finally {
        publisher.stop();
      }
    }
  }

  @Test
  void estuarysOwnRtmpClientSpeaksRtmps() throws Exception {
    try (TestNode node = TestNode.start(rtmps(tls.resolve("server.key").toString(), tls.resolve("server.crt").toString()))) {
      Path json = tls.resolve("bench.json");
      int code = io.estuary.bench.BenchCommand.run(new String[] {"--url", "rtmps://127.0.0.1:" + node.rtmpsPort + "/live/tls",
          "--players", "2", "--publishers", "1", "--file", Ffmpeg.media("h264-aac-640x360.flv").toString(),
          "--duration", "4", "--quiet", "--json", json.toString()});
      JsonObject result = new JsonObject(java.nio.file.Files.readString(json));
      assertEquals(0, code, result.encodePrettily());
      assertEquals(0, result.getInteger("failed"), result.encodePrettily());
      assertTrue(result.getJsonObject("frames").getLong("video") > 2 * 25, "both players got video over TLS: " + result.encode());
    }
  }

  @Test
  void severalCertificatesAreChosenBySni() throws Exception {
    JsonObject conf = new JsonObject().put("rtmps", new JsonObject().put("enabled", true)
        .put("key", new JsonArray().add(tls.resolve("server.key").toString()).add(tls.resolve("b.example.key").toString()))
        .put("cert", new JsonArray().add(tls.resolve("server.crt").toString()).add(tls.resolve("b.example.crt").toString())));
    try (TestNode node = TestNode.start(conf)) {
      assertTrue(servedCertificate(node.rtmpsPort, "b.example").contains("CN = b.example"));
      assertTrue(servedCertificate(node.rtmpsPort, "localhost").contains("CN = localhost"));
    }
  }

  /** The subject of the certificate the server presents for {@code serverName} (a real TLS handshake). */
  private static String servedCertificate(int port, String serverName) throws Exception {
    Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", serverName)
        .redirectErrorStream(true).start();
    client.getOutputStream().close();
    String out = new String(client.getInputStream().readAllBytes());
    client.waitFor();
    int subject = out.indexOf("subject=");
    assertTrue(subject >= 0, out);
    return out.substring(subject, out.indexOf('\n', subject));
  }

  @Test
  void ipv6AndIpv4EndpointsServeTheSameStreams() throws Exception {
    int v4 = TestNode.freePort();
    int v6 = TestNode.freePort();
    int http6 = TestNode.freePort();
    JsonObject conf = new JsonObject().put("listen", new JsonArray().add("127.0.0.1:" + v4).add("[::1]:" + v6))
        .put("http_server", new JsonObject().put("enabled", true).put("dir", "target/www6")
            .put("listen", new JsonArray().add("[::1]:" + http6)))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("http_remux", new JsonObject().put("enabled", true))));
    try (TestNode node = TestNode.start(conf)) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), "rtmp://[::1]:" + v6 + "/live/six");
      try {
        node.awaitPublished("live/six");
        Ffmpeg.Run overV4 = Ffmpeg.play("rtmp://127.0.0.1:" + v4 + "/live/six", 3);
        Ffmpeg.Run overV6 = Ffmpeg.play("rtmp://[::1]:" + v6 + "/live/six", 3);
        Ffmpeg.Run flvV6 = Ffmpeg.play("http://[::1]:" + http6 + "/live/six.flv", 3);
        Ffmpeg.assertDecoded(List.of(overV4, overV6, flvV6), 3);
        assertTrue(node.node.clients().all().stream().anyMatch(c -> c.isPublishing() && "0:0:0:0:0:0:0:1".equals(c.ip())
            || c.isPublishing() && "::1".equals(c.ip())), "the publisher's IPv6 address is known");
      } finally {
        publisher.stop();
      }
    }
  }

  @Test
  void aMissingCertificateFailsTheStart() {
    Exception e = assertThrows(Exception.class, () -> TestNode.start(rtmps(tls.resolve("server.key").toString(),
        tls.resolve("missing.crt").toString())).close());
    assertTrue(e.getMessage().contains("missing.crt: file not found"), e.getMessage());
  }

  @Test
  void aKeyThatIsNotTheCertificatesFailsTheStart() {
    Exception e = assertThrows(Exception.class, () -> TestNode.start(rtmps(tls.resolve("other.key").toString(),
        tls.resolve("server.crt").toString())).close());
    assertTrue(e.getMessage().contains("other.key does not match the certificate"), e.getMessage());
  }

  @Test
  void aPortInUseFailsTheStartNamingTheEndpoint() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Exception e = assertThrows(Exception.class, () -> TestNode.start(new JsonObject()
          .put("listen", new JsonArray().add("127.0.0.1:" + port))).close());
      assertTrue(e.getMessage().contains("RTMP cannot listen on 127.0.0.1:" + port), e.getMessage());
    }
  }
}
