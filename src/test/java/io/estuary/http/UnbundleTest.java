package io.estuary.http;

import io.estuary.stream.StreamMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A merged write reaches the socket as its pieces, in order, each released once; anything else passes through. */
class UnbundleTest {

  private static ByteBuf stored(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    return StreamMessage.STORE.directBuffer(bytes.length).writeBytes(bytes);
  }

  @Test
  void aMergedWriteAsVertxPassesItOnGoesOutAsItsPiecesInOrder() {
    goesOutAsItsPieces(MergedWrite.composite(StreamMessage.STORE, 16));
  }

  @Test
  void aMergedWriteOfPiecesOnlyGoesOutTheSame() {
    goesOutAsItsPieces(MergedWrite.pieces(StreamMessage.STORE, new MergedWrite.Room()));
  }

  @Test
  void aMergedWriteOfPiecesTakesMoreThanItsInitialRoomAndReleasesThemAllUnwritten() {
    ByteBuf payload = stored("P");
    MergedWrite merged = MergedWrite.pieces(StreamMessage.STORE, new MergedWrite.Room());
    int n = MergedWrite.INITIAL_PIECES * 2 + 1;
    for (int i = 0; i < n; i++) {
      merged.addComponent(true, payload.retainedDuplicate());
    }
    assertEquals(n, merged.readableBytes());
    assertEquals(n, merged.numPieces());
    assertTrue(merged.inPieces());
    // the player's connection closed before the write: the pieces go with the merged write
    assertTrue(merged.release());
    assertEquals(1, payload.refCnt(), "no reference of a piece is left");
    assertTrue(payload.release());
  }

  @Test
  void thePlayersNextMergedWriteTakesTheArrayTheLastOneGaveBackEmpty() {
    MergedWrite.Room room = new MergedWrite.Room();
    ByteBuf payload = stored("P");
    MergedWrite first = MergedWrite.pieces(StreamMessage.STORE, room);
    first.addComponent(true, payload.retainedDuplicate());
    first.addComponent(true, payload.retainedDuplicate());
    MergedWrite second = MergedWrite.pieces(StreamMessage.STORE, room); // the first is still in flight
    second.addComponent(true, payload.retainedDuplicate());
    assertTrue(first.release());
    assertTrue(second.release());
    assertEquals(1, payload.refCnt(), "each merged write released its own pieces once");

    MergedWrite third = MergedWrite.pieces(StreamMessage.STORE, room);
    assertEquals(0, third.readableBytes());
    third.addComponent(true, payload.retainedDuplicate());
    assertEquals(1, third.numPieces(), "it starts empty");
    assertTrue(third.release());
    assertTrue(payload.release());
  }

  private static void goesOutAsItsPieces(MergedWrite merged) {
    ByteBuf payload = stored("PAYLOAD-BYTES");
    ByteBuf own = stored("HDR|PTS");
    merged.addComponent(true, own.retainedSlice(0, 4));
    merged.addComponent(true, payload.retainedDuplicate());
    merged.addComponent(true, own.retainedSlice(4, 3));
    EmbeddedChannel channel = new EmbeddedChannel(Unbundle.INSTANCE);

    // what Vert.x's response hands its encoder: an unreleasable slice of the written buffer
    channel.writeAndFlush(Unpooled.unreleasableBuffer(merged.slice()));

    List<ByteBuf> out = new ArrayList<>();
    for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
      out.add(b);
    }
    assertEquals(3, out.size(), "one buffer per piece");
    StringBuilder wire = new StringBuilder();
    for (ByteBuf b : out) {
      assertFalse(b.nioBufferCount() > 1, "a piece is one memory region: the transport gathers it without a copy");
      wire.append(b.toString(StandardCharsets.US_ASCII));
    }
    assertEquals("HDR|PAYLOAD-BYTESPTS", wire.toString());
    for (ByteBuf b : out) {
      assertTrue(b.refCnt() > 0);
      b.release(); // the socket's write
    }
    assertTrue(merged.release(), "the player's reference, released when Vert.x has written the chunk");
    assertTrue(payload.release(), "the stream's payload is left with its own reference only");
    assertTrue(own.release());
    assertFalse(channel.finish());
  }

  @Test
  void aConsolidatedCompositeOrAnotherBufferPassesThroughWhole() {
    MergedWrite merged = MergedWrite.composite(StreamMessage.STORE, 2); // past 2 components the composite consolidates
    merged.addComponent(true, stored("a"));
    merged.addComponent(true, stored("b"));
    merged.addComponent(true, stored("c"));
    assertFalse(merged.inPieces(), "its pieces are no longer its components");
    EmbeddedChannel channel = new EmbeddedChannel(Unbundle.INSTANCE);
    channel.writeAndFlush(merged);
    ByteBuf whole = channel.readOutbound();
    assertSame(merged, whole);
    assertEquals("abc", whole.toString(StandardCharsets.US_ASCII));
    assertTrue(whole.release());

    ByteBuf other = stored("plain");
    channel.writeAndFlush(other);
    assertSame(other, channel.readOutbound());
    assertTrue(other.release());
    assertNull(channel.readOutbound());
    assertFalse(channel.finish());
  }

  @Test
  void aSliceOfPartOfAMergedWriteIsNotUnbundled() {
    MergedWrite merged = MergedWrite.composite(StreamMessage.STORE, 16);
    merged.addComponent(true, stored("xy"));
    merged.addComponent(true, stored("z"));
    EmbeddedChannel channel = new EmbeddedChannel(Unbundle.INSTANCE);
    ByteBuf part = merged.retainedSlice(1, 2);
    channel.writeAndFlush(part);
    ByteBuf out = channel.readOutbound();
    assertSame(part, out);
    assertEquals("yz", out.toString(StandardCharsets.US_ASCII));
    assertNull(channel.readOutbound());
    out.release(); // a retained slice of a composite shares its reference count
    assertTrue(merged.release());
    assertFalse(channel.finish());
  }
}
