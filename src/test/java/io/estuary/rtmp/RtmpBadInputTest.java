package io.estuary.rtmp;

import io.estuary.testing.LogCapture;
import io.estuary.testing.RawRtmp;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile or broken clients: each is closed alone, with one log line naming its client id and the problem,
 * while a well-behaved client on the same server is unaffected. Leaks fail the class (paranoid detector).
 */
class RtmpBadInputTest {

  private static final Pattern CLIENT_ID = Pattern.compile("\\[[0-9a-z]{8}\\] 127\\.0\\.0\\.1:\\d+ closing: .+");

  static TestNode node;
  static TestRtmpClient bystander;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject().put("rtmp", new JsonObject().put("handshakeTimeout", 1500)));
    // A good client (a player waiting for its stream), connected before the bad ones and checked after each.
    bystander = TestRtmpClient.connect(node.rtmpPort, "live").play("waiting");
  }

  @AfterAll
  static void stop() throws Exception {
    bystander.close();
    node.close();
  }

  @Test
  void wrongHandshakeVersion() throws Exception {
    byte[] c0c1 = new byte[1537];
    c0c1[0] = 6; // RTMPE, not spoken here
    assertClosedWithReason(c -> c.send(c0c1), "unsupported RTMP version");
  }

  @Test
  void silentClientIsClosedAfterTimeout() throws Exception {
    assertClosedWithReason(c -> { }, "1500 ms");
  }

  @Test
  void silentAfterHandshakeIsClosedAfterTimeout() throws Exception {
    assertClosedWithReason(RawRtmp::handshake, "no connect command within 1500 ms");
  }

  @Test
  void connectedButNeverPublishingNorPlayingIsClosedAfterTimeout() throws Exception {
    TestRtmpClient idle = TestRtmpClient.connect(node.rtmpPort, "live");
    try (LogCapture log = LogCapture.of("io.estuary.rtmp")) {
      assertTrue(idle.awaitClosed(10), "a client that only holds a connection is closed");
      List<String> lines = log.await(l -> l.contains("closing:"), 5);
      assertEquals(1, lines.size(), log.lines().toString());
      assertTrue(lines.get(0).contains("no publish or play within 1500 ms of connect"), lines.get(0));
    }
    assertTrue(bystander.isActive(), "the other client is still connected");
  }

  @Test
  void midHandshakeSilenceIsClosedAfterTimeout() throws Exception {
    byte[] c0c1 = new byte[1537];
    c0c1[0] = 3;
    assertClosedWithReason(c -> c.send(java.util.Arrays.copyOf(c0c1, 700)), "1500 ms"); // half of C1, then nothing
  }

  @Test
  void truncatedChunkThenSilence() throws Exception {
    // A connect command declaring 200 bytes, of which only 20 arrive: the server waits, then gives up.
    byte[] partial = RawRtmp.chunk0(20, 200, new byte[20]);
    assertClosedWithReason(c -> c.handshake().send(partial), "a truncated chunk: 32 bytes of an incomplete message");
  }

  @Test
  void unknownAmfMarker() throws Exception {
    byte[] name = "connect".getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[3 + name.length + 1];
    body[0] = 0x02;
    body[2] = (byte) name.length;
    System.arraycopy(name, 0, body, 3, name.length);
    body[body.length - 1] = 0x1f; // no such AMF0 marker
    assertClosedWithReason(c -> c.handshake().send(RawRtmp.chunk0(20, body.length, body)), "marker");
  }

  @Test
  void messageLongerThanMaximum() throws Exception {
    // 16 MiB - 1 declared, more than the 8 MiB maximum: refused from the header, before any allocation.
    assertClosedWithReason(c -> c.handshake().send(RawRtmp.chunk0(9, 0xFFFFFF, new byte[16])), "exceeds");
  }

  interface Action {
    void apply(RawRtmp client) throws Exception;
  }

  private void assertClosedWithReason(Action action, String reason) throws Exception {
    try (LogCapture log = LogCapture.of("io.estuary.rtmp"); RawRtmp client = new RawRtmp(node.rtmpPort)) {
      action.apply(client);
      assertTrue(client.closedByServer(), "the server should close the connection");
      List<String> lines = log.await(l -> l.contains("closing:"), 5);
      assertEquals(1, lines.size(), "one log line for the bad client: " + log.lines());
      String line = lines.get(0);
      assertTrue(CLIENT_ID.matcher(line.substring(line.indexOf('['))).matches(), "names the client id: " + line);
      assertTrue(line.contains(reason), "says what was wrong (" + reason + "): " + line);
    }
    // The server still serves: a new client handshakes, and the earlier one is still connected.
    try (RawRtmp other = new RawRtmp(node.rtmpPort)) {
      other.handshake();
    }
    assertTrue(bystander.isActive(), "the other client is still connected");
  }
}
