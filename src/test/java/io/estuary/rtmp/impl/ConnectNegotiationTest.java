package io.estuary.rtmp.impl;

import io.estuary.rtmp.RtmpCapabilities;
import io.estuary.rtmp.message.CommandMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the connect _result says to a legacy client (SRS's, unchanged) and to an Enhanced RTMP v2 client. */
class ConnectNegotiationTest {

  private static final CommandMessage CONNECT = new CommandMessage(0, "connect", 1, Map.of("app", "live"));

  @Test
  void aLegacyClientGetsSrsResult() {
    CommandMessage result = Commands.connectResult(CONNECT, 0.0, ConnectNegotiation.answer(RtmpCapabilities.NONE));
    assertEquals(List.of("fmsVer", "capabilities", "mode"), List.copyOf(result.commandObject().keySet()));
  }

  @Test
  void anEnhancedClientGetsEveryRelayedCodecAsForwardableReconnectAndMultitrack() {
    RtmpCapabilities announced = new RtmpCapabilities(List.of("hvc1"), Map.of(), Map.of(),
        RtmpCapabilities.CAPS_EX_RECONNECT | RtmpCapabilities.CAPS_EX_MULTITRACK);
    CommandMessage result = Commands.connectResult(CONNECT, 0.0, ConnectNegotiation.answer(announced));
    RtmpCapabilities answered = RtmpCapabilities.from(result.commandObject());
    assertEquals(RtmpCapabilities.CAPS_EX_RECONNECT | RtmpCapabilities.CAPS_EX_MULTITRACK, answered.capsEx(),
        "no ModEx nor TimestampNanoOffset");
    assertTrue(answered.multitrack());
    for (String video : List.of("avc1", "hvc1", "av01", "vp09", "vp08")) {
      assertEquals(RtmpCapabilities.CAN_FORWARD, answered.videoFlags(video), video);
    }
    for (String audio : List.of("mp4a", ".mp3", "Opus", "fLaC", "ac-3", "ec-3")) {
      assertEquals(RtmpCapabilities.CAN_FORWARD, answered.audioFlags(audio), audio);
    }
    assertFalse(answered.videoFourCcInfoMap().containsKey(RtmpCapabilities.ANY), "no wildcard");
    assertTrue(answered.fourCcList().containsAll(List.of("avc1", "Opus")));
    assertEquals("NetConnection.Connect.Success", ((Map<?, ?>) result.argument(0)).get("code"));
  }

  @Test
  void theReconnectRequestIsAStatusOnTheConnection() {
    CommandMessage request = Commands.reconnectRequest("rtmp://a/live", "the server is stopping");
    assertEquals(0, request.streamId());
    assertEquals(0.0, request.transactionId());
    assertEquals("onStatus", request.name());
    Map<?, ?> info = (Map<?, ?>) request.argument(0);
    assertEquals("status", info.get("level"));
    assertEquals("NetConnection.Connect.ReconnectRequest", info.get("code"));
    assertEquals("rtmp://a/live", info.get("tcUrl"));
  }

  @Test
  void theClientResolvesTheTcUrlAgainstItsOwn() {
    String own = "rtmp://origin:1935/live";
    assertEquals(own, ClientSession.resolve(own, null));
    assertEquals("rtmp://other:1936/app", ClientSession.resolve(own, "rtmp://other:1936/app"));
    assertEquals("rtmp://192.0.2.1/realtimeapp", ClientSession.resolve(own, "//192.0.2.1/realtimeapp"));
    assertEquals("rtmp://origin:1935/realtimeapp", ClientSession.resolve(own, "/realtimeapp"));
  }
}
