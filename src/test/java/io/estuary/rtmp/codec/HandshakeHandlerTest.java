package io.estuary.rtmp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.estuary.rtmp.codec.HandshakeDigest.BASE_DIGEST_FIRST;
import static io.estuary.rtmp.codec.HandshakeDigest.BASE_KEY_FIRST;
import static io.estuary.rtmp.codec.HandshakeDigest.DIGEST_SIZE;
import static io.estuary.rtmp.codec.HandshakeDigest.PACKET_SIZE;
import static io.estuary.rtmp.codec.HandshakeDigest.PLAYER_KEY;
import static io.estuary.rtmp.codec.HandshakeDigest.SERVER_KEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeHandlerTest {

  private static byte[] c1(long seed) {
    byte[] c1 = new byte[PACKET_SIZE];
    new Random(seed).nextBytes(c1);
    return c1;
  }

  private static ByteBuf c0c1(byte[] c1) {
    return Unpooled.buffer().writeByte(3).writeBytes(c1);
  }

  @Test
  void digestOffsetIsTheSumOfFourBytesMod728AfterThem() {
    byte[] packet = new byte[PACKET_SIZE];
    packet[8] = packet[9] = packet[10] = packet[11] = (byte) 0xFF;
    assertEquals(1020 % 728 + 12, HandshakeDigest.digestOffset(packet, BASE_DIGEST_FIRST));
    packet[772] = 1;
    packet[773] = 2;
    packet[774] = 3;
    packet[775] = 4;
    assertEquals(10 + 776, HandshakeDigest.digestOffset(packet, BASE_KEY_FIRST));
    assertEquals(728 + 772 + 4 - 1, 1503); // the largest offset still leaves room for the 32-byte digest
  }

  @Test
  void keysAreTheGenuineAdobeKeys() {
    assertEquals(62, PLAYER_KEY.length);
    assertEquals(68, SERVER_KEY.length);
    assertEquals("Genuine Adobe Flash Player 001", new String(PLAYER_KEY, 0, 30, StandardCharsets.US_ASCII));
    assertEquals("Genuine Adobe Flash Media Server 001", new String(SERVER_KEY, 0, 36, StandardCharsets.US_ASCII));
    assertEquals((byte) 0xF0, PLAYER_KEY[30]);
    assertEquals((byte) 0xAE, SERVER_KEY[67]);
  }

  @Test
  void simpleHandshakeEchoesC1AndRemovesItselfAfterC2() {
    Recorder recorder = new Recorder();
    EmbeddedChannel channel = new EmbeddedChannel(new HandshakeHandler(0), recorder);
    byte[] c1 = c1(1);
    c1[4] = c1[5] = c1[6] = c1[7] = 0; // zero version: simple handshake, as FFmpeg sends

    assertFalse(channel.writeInbound(c0c1(c1)));
    byte[] response = Bytes.bytesAndRelease(channel.readOutbound());
    assertNull(channel.readOutbound(), "S0, S1 and S2 go in one write");
    assertEquals(1 + 2 * PACKET_SIZE, response.length);
    assertEquals(3, response[0]);
    assertArrayEquals(new byte[4], Arrays.copyOfRange(response, 5, 9), "simple S1: time then four zero bytes");
    assertArrayEquals(c1, Arrays.copyOfRange(response, 1 + PACKET_SIZE, response.length), "S2 echoes C1");
    assertTrue(recorder.events.isEmpty(), "not complete before C2");
    assertTrue(channel.pipeline().get(HandshakeHandler.class) != null);

    byte[] c2 = Arrays.copyOfRange(response, 1, 1 + PACKET_SIZE);
    ByteBuf c2AndChunk = Unpooled.buffer().writeBytes(c2).writeBytes("first chunk".getBytes(StandardCharsets.US_ASCII));
    assertTrue(channel.writeInbound(c2AndChunk));

    assertEquals(List.of(new HandshakeCompleted(false)), recorder.events);
    assertNull(channel.pipeline().get(HandshakeHandler.class), "removed itself");
    ByteBuf leftover = channel.readInbound();
    assertEquals("first chunk", leftover.toString(StandardCharsets.US_ASCII));
    assertTrue(leftover.release());
    assertTrue(recorder.exceptions.isEmpty());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void handshakeSplitIntoSmallReadsAndC2InTheSameReadAsC0C1() {
    Recorder recorder = new Recorder();
    EmbeddedChannel channel = new EmbeddedChannel(new HandshakeHandler(0), recorder);
    byte[] c1 = c1(2);
    ByteBuf all = c0c1(c1).writeBytes(new byte[PACKET_SIZE]);
    while (all.isReadable()) {
      channel.writeInbound(all.readRetainedSlice(Math.min(700, all.readableBytes())));
    }
    assertTrue(all.release());
    assertEquals(List.of(new HandshakeCompleted(false)), recorder.events);
    assertEquals(1 + 2 * PACKET_SIZE, Bytes.bytesAndRelease(channel.readOutbound()).length);
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void complexHandshakeWithKeyFirstLayout() {
    complexHandshake(BASE_KEY_FIRST);
  }

  @Test
  void complexHandshakeWithDigestFirstLayout() {
    complexHandshake(BASE_DIGEST_FIRST);
  }

  private void complexHandshake(int base) {
    Recorder recorder = new Recorder();
    EmbeddedChannel channel = new EmbeddedChannel(new HandshakeHandler(0), recorder);
    byte[] c1 = c1(base);
    c1[4] = 9; // Flash Player 9.0.124.2
    c1[5] = 0;
    c1[6] = 124;
    c1[7] = 2;
    int c1Offset = HandshakeDigest.imprint(c1, base, PLAYER_KEY, 30);
    byte[] c1Digest = Arrays.copyOfRange(c1, c1Offset, c1Offset + DIGEST_SIZE);

    channel.writeInbound(c0c1(c1));
    byte[] response = Bytes.bytesAndRelease(channel.readOutbound());
    assertEquals(3, response[0]);
    byte[] s1 = Arrays.copyOfRange(response, 1, 1 + PACKET_SIZE);
    byte[] s2 = Arrays.copyOfRange(response, 1 + PACKET_SIZE, response.length);
    assertTrue(HandshakeDigest.validDigestOffset(s1, base, SERVER_KEY, 36) >= 0, "S1 carries the FMS digest in C1's layout");
    assertTrue(s1[4] >= 3, "FFmpeg checks S2 only when S1's version is >= 3");

    byte[] expected = s2.clone();
    HandshakeDigest.sign(expected, c1Digest, SERVER_KEY);
    assertArrayEquals(Arrays.copyOfRange(expected, PACKET_SIZE - 32, PACKET_SIZE), Arrays.copyOfRange(s2, PACKET_SIZE - 32, PACKET_SIZE),
        "S2's last 32 bytes are HMAC(HMAC(FMS key, C1 digest), S2[0..1504])");

    channel.writeInbound(Unpooled.wrappedBuffer(s1)); // C2
    assertEquals(List.of(new HandshakeCompleted(true)), recorder.events);
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void digestSignedWithTheWrongKeyFallsBackToSimple() {
    EmbeddedChannel channel = new EmbeddedChannel(new HandshakeHandler(0));
    byte[] c1 = c1(3);
    HandshakeDigest.imprint(c1, BASE_KEY_FIRST, SERVER_KEY, 36);
    channel.writeInbound(c0c1(c1));
    byte[] response = Bytes.bytesAndRelease(channel.readOutbound());
    assertArrayEquals(c1, Arrays.copyOfRange(response, 1 + PACKET_SIZE, response.length));
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void wrongVersionIsRejectedAtTheFirstByte() {
    EmbeddedChannel channel = new EmbeddedChannel(new HandshakeHandler(0));
    RtmpException e = assertThrows(RtmpException.class, () -> channel.writeInbound(Bytes.hex("06 00 00")));
    assertEquals("unsupported RTMP version 0x06", e.getMessage());
    assertNull(channel.readOutbound());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void timeoutFiresWhenNothingArrives() {
    Recorder recorder = new Recorder();
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.freezeTime(); // only advanceTimeBy moves the clock
    channel.pipeline().addLast(new HandshakeHandler(3000), recorder);
    channel.advanceTimeBy(2999, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertTrue(recorder.exceptions.isEmpty());
    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertEquals(1, recorder.exceptions.size());
    assertTrue(recorder.exceptions.get(0) instanceof RtmpException);
    assertEquals("handshake not completed in 3000 ms", recorder.exceptions.get(0).getMessage());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void timeoutIsCancelledOnCompletion() {
    Recorder recorder = new Recorder();
    EmbeddedChannel channel = new EmbeddedChannel(new HandshakeHandler(3000), recorder);
    channel.writeInbound(c0c1(c1(4)).writeBytes(new byte[PACKET_SIZE]));
    assertTrue(((ByteBuf) channel.readOutbound()).release());
    channel.advanceTimeBy(10, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertEquals(List.of(new HandshakeCompleted(false)), recorder.events);
    assertTrue(recorder.exceptions.isEmpty());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void clientAndServerHandshakeWithEachOther() {
    Recorder serverEvents = new Recorder();
    Recorder clientEvents = new Recorder();
    EmbeddedChannel server = new EmbeddedChannel(new HandshakeHandler(1000), serverEvents);
    EmbeddedChannel client = new EmbeddedChannel(new ClientHandshakeHandler(1000), clientEvents);

    assertEquals(1 + PACKET_SIZE, ((ByteBuf) client.outboundMessages().peek()).readableBytes(), "C0+C1 sent on activation");
    ByteBuf afterHandshake = Unpooled.copiedBuffer("connect", StandardCharsets.US_ASCII);
    boolean moved = true;
    while (moved) {
      moved = pump(client, server) | pump(server, client);
      if (client.pipeline().get(ClientHandshakeHandler.class) == null && afterHandshake != null) {
        client.writeOutbound(afterHandshake);
        afterHandshake = null;
      }
    }

    assertEquals(List.of(new HandshakeCompleted(false)), clientEvents.events);
    assertEquals(List.of(new HandshakeCompleted(false)), serverEvents.events);
    assertNull(server.pipeline().get(HandshakeHandler.class));
    assertNull(client.pipeline().get(ClientHandshakeHandler.class));
    ByteBuf first = server.readInbound();
    assertEquals("connect", first.toString(StandardCharsets.US_ASCII));
    assertTrue(first.release());
    client.advanceTimeBy(2, TimeUnit.SECONDS);
    client.runScheduledPendingTasks();
    assertTrue(clientEvents.exceptions.isEmpty());
    assertFalse(server.finishAndReleaseAll());
    assertFalse(client.finishAndReleaseAll());
  }

  @Test
  void clientRejectsWrongServerVersion() {
    EmbeddedChannel client = new EmbeddedChannel(new ClientHandshakeHandler(0));
    assertTrue(((ByteBuf) client.readOutbound()).release());
    RtmpException e = assertThrows(RtmpException.class, () -> client.writeInbound(Bytes.hex("08")));
    assertEquals("unsupported RTMP version 0x08", e.getMessage());
    assertFalse(client.finishAndReleaseAll());
  }

  /** Moves every outbound buffer of one channel into the other; true if anything moved. */
  private static boolean pump(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    for (Object msg; (msg = from.readOutbound()) != null; ) {
      to.writeInbound(msg);
      moved = true;
    }
    return moved;
  }
}
