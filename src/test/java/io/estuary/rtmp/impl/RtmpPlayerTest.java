package io.estuary.rtmp.impl;

import io.estuary.access.Client;
import io.estuary.media.FlvTags;
import io.estuary.rtmp.codec.ChunkCodec;
import io.estuary.rtmp.codec.ChunkDecoder;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.SetChunkSize;
import io.estuary.stream.PlayOptions;
import io.estuary.stream.StreamMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The playing role's write path: through the chunk encoder, counted once by the byte counter nearest the socket. */
class RtmpPlayerTest {

  private static StreamMessage video(int size, int chunkSize) {
    ByteBuf payload = Unpooled.buffer(size);
    payload.writeByte(0x17).writeByte(1);
    for (int i = 2; i < size; i++) {
      payload.writeByte(i);
    }
    StreamMessage message = StreamMessage.received(FlvTags.TAG_VIDEO, 40, payload);
    ChunkedBody.attach(message, chunkSize, 6);
    return message;
  }

  @Test
  void aPlayerWritesThroughTheEncoderAndEveryByteIsCountedOnce() {
    Client client = new Client("127.0.0.1", "rtmp", () -> { });
    RtmpPlayer[] player = new RtmpPlayer[1];
    EmbeddedChannel channel = new EmbeddedChannel(new ByteCounter(client), new ChunkCodec(),
        new ChannelInboundHandlerAdapter() {
          @Override
          public void handlerAdded(ChannelHandlerContext ctx) {
            player[0] = new RtmpPlayer(ctx, 1, PlayOptions.defaults(), false, reason -> { });
          }
        });
    channel.writeAndFlush(new SetChunkSize(4096));
    for (int size : new int[] {100, 4096, 10_000}) {
      StreamMessage shared = video(size, 4096); // chunked once, as the publisher does for the vhost's chunk size
      player[0].write(shared.retain(), 40);
      player[0].write(shared.retain(), 80);
      player[0].flush();
      shared.release();
    }
    StreamMessage other = video(10_000, 128); // chunked for another size: this connection chunks it itself
    player[0].write(other, 120);
    player[0].flush();

    EmbeddedChannel receiver = new EmbeddedChannel(new ChunkDecoder());
    long written = 0;
    for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
      written += out.readableBytes();
      receiver.writeInbound(out);
    }
    assertEquals(written, client.sendBytes(), "what went to the socket, counted once");
    int[] sizes = {100, 100, 4096, 4096, 10_000, 10_000, 10_000};
    long[] timestamps = {40, 80, 40, 80, 40, 80, 120};
    assertEquals(4096, receiver.<SetChunkSize>readInbound().chunkSize());
    for (int i = 0; i < sizes.length; i++) {
      Media media = receiver.readInbound();
      assertEquals(sizes[i], media.payload().readableBytes());
      assertEquals(timestamps[i], media.timestamp());
      ByteBuf payload = media.payload();
      assertEquals((sizes[i] - 1) & 0xff, payload.getUnsignedByte(payload.readerIndex() + sizes[i] - 1), "intact");
      media.release();
    }
    assertFalse(receiver.finishAndReleaseAll());
    assertFalse(channel.finishAndReleaseAll());
  }
}
