package io.estuary.rtmp.codec;

import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.rtmp.message.SetChunkSize;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden captures of FFmpeg 5.1 ({@code ffmpeg -re -t 1 -i h264-aac-640x360.flv -c copy -f flv rtmp://.../live/s1})
 * against capture-ffmpeg-publish.py, a scripted server: its C0+C1, and every byte it sent after C2.
 */
class FfmpegCaptureTest {

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = FfmpegCaptureTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void ffmpegGetsTheDigestHandshake() throws IOException {
    byte[] c0c1 = resource("ffmpeg-c0c1.bin");
    Recorder recorder = new Recorder();
    EmbeddedChannel channel = new EmbeddedChannel(new HandshakeHandler(0), recorder);
    channel.writeInbound(Unpooled.wrappedBuffer(c0c1));
    byte[] response = Bytes.bytesAndRelease(channel.readOutbound());
    byte[] s1 = Arrays.copyOfRange(response, 1, 1537);
    // FFmpeg puts its digest first (offset base 8), so S1's must be there too
    assertTrue(HandshakeDigest.validDigestOffset(s1, HandshakeDigest.BASE_DIGEST_FIRST, HandshakeDigest.SERVER_KEY, 36) >= 0);
    channel.writeInbound(Unpooled.wrappedBuffer(s1));
    assertEquals(List.of(new HandshakeCompleted(true)), recorder.events);
    assertFalse(channel.finishAndReleaseAll());
  }

  @ParameterizedTest(name = "read {0} bytes at a time")
  @ValueSource(ints = {Integer.MAX_VALUE, 1400, 7})
  void ffmpegPublishSessionDecodes(int readSize) throws IOException {
    byte[] session = resource("ffmpeg-publish.bin");
    ChunkCodec codec = new ChunkCodec();
    EmbeddedChannel channel = new EmbeddedChannel(codec);
    ByteBuf all = Unpooled.wrappedBuffer(session);
    while (all.isReadable()) {
      channel.writeInbound(all.readRetainedSlice(Math.min(readSize, all.readableBytes())));
    }
    all.release(); // the messages may still hold slices of it

    List<String> commands = new ArrayList<>();
    List<Media> media = new ArrayList<>();
    DataMessage metadata = null;
    CommandMessage connect = null;
    for (RtmpMessage msg; (msg = channel.readInbound()) != null; ) {
      if (msg instanceof CommandMessage command) {
        commands.add(command.name() + "@" + command.streamId());
        connect = connect == null ? command : connect;
      } else if (msg instanceof Media m) {
        media.add(m);
      } else if (msg instanceof DataMessage data) {
        metadata = data;
      } else {
        assertEquals(new SetChunkSize(60000), msg, "FFmpeg mirrors the server's chunk size");
      }
    }
    try {
      assertEquals(List.of("connect@0", "releaseStream@0", "FCPublish@0", "createStream@0", "publish@1", "FCUnpublish@0",
          "deleteStream@0"), commands);
      assertEquals("live", connect.commandObject().get("app"));
      assertEquals("rtmp://127.0.0.1:19350/live", connect.commandObject().get("tcUrl"));
      assertEquals(60000, codec.decoder().chunkSize());
      assertEquals(session.length, codec.bytesRead());

      assertEquals("@setDataFrame", metadata.name());
      assertEquals("onMetaData", metadata.values().get(1));
      assertEquals(640.0, ((Map<?, ?>) metadata.values().get(2)).get("width"));

      assertEquals(74, media.size());
      Media first = media.get(0);
      assertTrue(first.isVideo());
      assertEquals("17000000", ByteBufUtil.hexDump(first.payload(), 0, 4), "AVC sequence header first");
      assertEquals("af00", ByteBufUtil.hexDump(media.get(1).payload(), 0, 2), "then the AAC sequence header");
      assertEquals(11531, media.get(2).payload().readableBytes(), "a keyframe over one chunk of 60000 bytes");
      long lastVideo = 0;
      for (Media m : media) {
        assertEquals(1, m.streamId());
        if (m.isVideo()) {
          assertTrue(m.timestamp() >= lastVideo);
          lastVideo = m.timestamp();
        }
      }
      assertTrue(lastVideo >= 960, "a second of video: " + lastVideo);
    } finally {
      media.forEach(Media::release);
    }
    assertFalse(channel.finishAndReleaseAll());
    assertEquals(0, all.refCnt(), "every message let go of the input");
  }
}
