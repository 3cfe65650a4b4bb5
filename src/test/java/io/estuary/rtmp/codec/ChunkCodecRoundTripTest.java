package io.estuary.rtmp.codec;

import io.estuary.amf.EcmaArray;
import io.estuary.rtmp.message.Abort;
import io.estuary.rtmp.message.Acknowledgement;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.rtmp.message.SetChunkSize;
import io.estuary.rtmp.message.SetPeerBandwidth;
import io.estuary.rtmp.message.UserControl;
import io.estuary.rtmp.message.WindowAckSize;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one side's ChunkCodec writes, the other side's ChunkCodec reads back as the same messages. */
class ChunkCodecRoundTripTest {

  private static Media media(int typeId, long timestamp, int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return new Media(typeId, 1, timestamp, Unpooled.buffer(length).writeBytes(bytes)); // not wrappedBuffer: it returns the unreleasable EMPTY_BUFFER for 0 bytes
  }

  @Test
  void everyMessageTypeSurvivesEncodeAndDecode() {
    Map<String, Object> connect = new LinkedHashMap<>();
    connect.put("app", "live");
    connect.put("tcUrl", "rtmp://localhost/live");
    connect.put("objectEncoding", 0.0);
    EcmaArray metadata = new EcmaArray();
    metadata.put("width", 640.0);
    metadata.put("height", 360.0);
    metadata.put("encoder", "Lavf61.7.100");

    List<RtmpMessage> messages = List.of(
        new WindowAckSize(2500000),
        new SetPeerBandwidth(2500000, SetPeerBandwidth.LIMIT_DYNAMIC),
        new Abort(9),
        new Acknowledgement(0xFFFFFFF0L),
        new UserControl(UserControl.STREAM_BEGIN, 1),
        new UserControl(UserControl.SET_BUFFER_LENGTH, 1, 3000),
        new UserControl(UserControl.PING_REQUEST, 0xFFFFFFFFL),
        new CommandMessage(0, "connect", 1, connect),
        new CommandMessage(0, "createStream", 4, null),
        new CommandMessage(1, "play", 0, null, "s1", -2.0, null, true),
        new SetChunkSize(60000), // both sides switch: the media below travels in larger chunks
        new DataMessage(1, 0, List.of("onMetaData", metadata)),
        media(9, 0, 40000, 1),
        media(8, 23, 7, 2),
        new DataMessage(1, 33, List.of("onTextData", "x".repeat(70000))), // more than one 60000-byte chunk
        new SetChunkSize(128),
        media(9, 0x7FFFFFF0L, 300, 3), // extended timestamp, repeated on continuation chunks
        media(8, 0, 0, 4));

    ChunkCodec sender = new ChunkCodec();
    ChunkCodec receiver = new ChunkCodec();
    EmbeddedChannel out = new EmbeddedChannel(sender);
    EmbeddedChannel in = new EmbeddedChannel(receiver);
    List<byte[]> payloads = new ArrayList<>();
    for (RtmpMessage msg : messages) {
      payloads.add(msg instanceof Media m ? ByteBufUtil.getBytes(m.payload()) : null);
      out.writeOutbound(msg);
      if (msg instanceof SetChunkSize s) {
        assertEquals(s.chunkSize(), sender.chunkSize());
      }
    }
    for (ByteBuf bytes; (bytes = out.readOutbound()) != null; ) {
      in.writeInbound(bytes);
    }

    for (int i = 0; i < messages.size(); i++) {
      RtmpMessage expected = messages.get(i);
      RtmpMessage actual = in.readInbound();
      if (expected instanceof Media e) {
        Media a = (Media) actual;
        assertEquals(Arrays.asList(e.typeId(), e.streamId(), e.timestamp()), Arrays.asList(a.typeId(), a.streamId(), a.timestamp()));
        assertArrayEquals(payloads.get(i), ByteBufUtil.getBytes(a.payload()));
        a.release();
        // In EmbeddedChannels the receiver's payload is made of the sender's very buffers: zero copy end to end
        assertEquals(0, e.refCnt(), "sender and receiver released message " + i);
      } else {
        assertEquals(expected, actual);
      }
    }
    assertNull(in.readInbound());
    assertEquals(128, receiver.decoder().chunkSize());
    assertFalse(out.finishAndReleaseAll());
    assertFalse(in.finishAndReleaseAll());
  }

  @Test
  void messagesSurviveBeingReadOneByteAtATime() {
    EmbeddedChannel out = new EmbeddedChannel(new ChunkCodec());
    EmbeddedChannel in = new EmbeddedChannel(new ChunkCodec());
    Media video = media(9, 0xFFFFFF, 1000, 5); // exactly the first extended value
    byte[] payload = ByteBufUtil.getBytes(video.payload());
    out.writeOutbound(new CommandMessage(0, "connect", 1, Map.of("app", "live")), video);
    for (ByteBuf bytes; (bytes = out.readOutbound()) != null; ) {
      while (bytes.isReadable()) {
        in.writeInbound(bytes.readRetainedSlice(1));
      }
      bytes.release();
    }
    assertEquals(new CommandMessage(0, "connect", 1, Map.of("app", "live")), in.readInbound());
    Media received = in.readInbound();
    assertEquals(0xFFFFFF, received.timestamp());
    assertArrayEquals(payload, ByteBufUtil.getBytes(received.payload()));
    assertTrue(received.release());
    assertFalse(out.finishAndReleaseAll());
    assertFalse(in.finishAndReleaseAll());
  }
}
