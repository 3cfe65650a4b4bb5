package io.estuary.rtmp;

import io.estuary.testing.LogCapture;
import io.estuary.testing.RawRtmp;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scanner opening 60 connections that each send a bad handshake: every one is closed, the log holds a bounded number
 * of lines (a budget per listener instance, then one line saying that more are left out), and a good client is
 * unaffected.
 */
class RtmpBadClientFloodTest {

  private static final int BAD_CLIENTS = 60;

  @Test
  void manyBadClientsAreABoundedNumberOfLogLines() throws Exception {
    try (TestNode node = TestNode.start(new JsonObject());
         TestRtmpClient bystander = TestRtmpClient.connect(node.rtmpPort, "live").play("waiting");
         LogCapture log = LogCapture.of("io.estuary.rtmp")) {
      byte[] c0c1 = new byte[1537];
      c0c1[0] = 6; // RTMPE, not spoken here
      for (int i = 0; i < BAD_CLIENTS; i++) {
        try (RawRtmp client = new RawRtmp(node.rtmpPort)) {
          client.send(c0c1);
          assertTrue(client.closedByServer(), "bad client " + i + " is closed");
        }
      }
      List<String> notices = log.await(l -> l.contains("RTMP clients closed for bad input: more than 10 lines"), 5);
      List<String> closing = log.lines().stream().filter(l -> l.contains("closing: unsupported RTMP version")).toList();
      int instances = Runtime.getRuntime().availableProcessors(); // one listener per event loop, each its own budget
      assertTrue(closing.size() >= 10 && closing.size() <= 10 * instances,
          closing.size() + " lines for " + BAD_CLIENTS + " bad clients: " + log.lines());
      assertTrue(!notices.isEmpty() && notices.size() <= instances, "said that more are left out: " + log.lines());
      assertTrue(bystander.isActive(), "the good client is still connected");
    }
  }
}
