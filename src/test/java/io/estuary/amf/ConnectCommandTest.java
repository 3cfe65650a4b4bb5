package io.estuary.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The command messages FFmpeg (libavformat rtmpproto, Lavf59) sends when publishing to rtmp://127.0.0.1/live. */
class ConnectCommandTest {

  @RegisterExtension
  final Buffers buffers = new Buffers();

  private static final String CONNECT = """
      02 00 07 63 6F 6E 6E 65 63 74
      00 3F F0 00 00 00 00 00 00
      03
        00 03 61 70 70
          02 00 04 6C 69 76 65
        00 04 74 79 70 65
          02 00 0A 6E 6F 6E 70 72 69 76 61 74 65
        00 08 66 6C 61 73 68 56 65 72
          02 00 24 46 4D 4C 45 2F 33 2E 30 20 28 63 6F 6D 70 61 74 69 62 6C 65 3B 20
                   4C 61 76 66 35 39 2E 32 37 2E 31 30 30 29
        00 05 74 63 55 72 6C
          02 00 1A 72 74 6D 70 3A 2F 2F 31 32 37 2E 30 2E 30 2E 31 3A 31 39 33 35 2F 6C 69 76 65
      00 00 09""";

  @Test
  void decodesFfmpegConnect() {
    ByteBuf payload = buffers.hex(CONNECT);
    List<Object> values = Amf0.readAll(payload);
    assertFalse(payload.isReadable());

    assertEquals(3, values.size());
    assertEquals("connect", values.get(0));
    assertEquals(1.0, values.get(1));
    Map<?, ?> command = assertInstanceOf(LinkedHashMap.class, values.get(2));
    assertEquals(List.of("app", "type", "flashVer", "tcUrl"), List.copyOf(command.keySet()));
    assertEquals("live", command.get("app"));
    assertEquals("nonprivate", command.get("type"));
    assertEquals("FMLE/3.0 (compatible; Lavf59.27.100)", command.get("flashVer"));
    assertEquals("rtmp://127.0.0.1:1935/live", command.get("tcUrl"));
  }

  @Test
  void reEncodesConnectToTheSameBytes() {
    Map<String, Object> command = new LinkedHashMap<>();
    command.put("app", "live");
    command.put("type", "nonprivate");
    command.put("flashVer", "FMLE/3.0 (compatible; Lavf59.27.100)");
    command.put("tcUrl", "rtmp://127.0.0.1:1935/live");
    ByteBuf out = buffers.empty();
    Amf0.writeAll(out, "connect", 1, command);
    assertEquals(Buffers.compact(CONNECT), Buffers.hexOf(out));
  }

  @Test
  void decodesFfmpegPublish() {
    // "publish", 5.0, null, "stream", "live"
    ByteBuf payload = buffers.hex("""
        02 00 07 70 75 62 6C 69 73 68
        00 40 14 00 00 00 00 00 00
        05
        02 00 06 73 74 72 65 61 6D
        02 00 04 6C 69 76 65""");
    List<Object> values = Amf0.readAll(payload);
    assertEquals(5, values.size());
    assertEquals("publish", values.get(0));
    assertEquals(5.0, values.get(1));
    assertNull(values.get(2));
    assertEquals("stream", values.get(3));
    assertEquals("live", values.get(4));
  }
}
