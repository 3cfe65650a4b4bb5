package io.estuary.rtmp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

import static io.estuary.rtmp.codec.HandshakeDigest.BASE_DIGEST_FIRST;
import static io.estuary.rtmp.codec.HandshakeDigest.BASE_KEY_FIRST;
import static io.estuary.rtmp.codec.HandshakeDigest.DIGEST_SIZE;
import static io.estuary.rtmp.codec.HandshakeDigest.PLAYER_KEY;
import static io.estuary.rtmp.codec.HandshakeDigest.PLAYER_KEY_TEXT_LENGTH;
import static io.estuary.rtmp.codec.HandshakeDigest.SERVER_KEY;
import static io.estuary.rtmp.codec.HandshakeDigest.SERVER_KEY_TEXT_LENGTH;

/**
 * Server side of the RTMP handshake (RTMP spec 5.2): reads C0+C1, answers S0+S1+S2 in one write without waiting
 * for C2 (FFmpeg sends C2 only after S2), then reads C2, fires {@link HandshakeCompleted} and removes itself.
 * A C1 carrying a valid Flash Player digest gets the digest handshake back; any other C1 the simple one.
 */
public final class HandshakeHandler extends HandshakeStage {
  /** What SRS's S1 announces as server version (FMS 3.5.3.888 in other servers); clients only check it is >= 3. */
  private static final byte[] SERVER_VERSION = {4, 5, 0, 1};

  // State accessed exclusively from the channel's event loop thread
  private boolean awaitingC2;
  private boolean complex;

  /** @param handshakeTimeoutMillis how long the client has to finish the handshake; 0 for no limit */
  public HandshakeHandler(long handshakeTimeoutMillis) {
    super(handshakeTimeoutMillis);
  }

  @Override
  void decodeHandshake(ChannelHandlerContext ctx, ByteBuf in) {
    if (!awaitingC2) {
      if (!in.isReadable()) {
        return;
      }
      checkVersion(in);
      if (in.readableBytes() < 1 + PACKET_SIZE) {
        return;
      }
      in.skipBytes(1);
      byte[] c1 = new byte[PACKET_SIZE];
      in.readBytes(c1);
      ctx.writeAndFlush(response(ctx.alloc(), c1));
      awaitingC2 = true;
    }
    if (in.readableBytes() < PACKET_SIZE) {
      return;
    }
    in.skipBytes(PACKET_SIZE); // C2 echoes S1; like SRS we do not insist on it
    complete(ctx, complex);
  }

  /** S0+S1+S2 for this C1. */
  private ByteBuf response(ByteBufAllocator alloc, byte[] c1) {
    byte[] s1 = randomPacket();
    byte[] s2;
    int base = BASE_KEY_FIRST;
    int c1DigestOffset = HandshakeDigest.validDigestOffset(c1, base, PLAYER_KEY, PLAYER_KEY_TEXT_LENGTH);
    if (c1DigestOffset < 0) {
      base = BASE_DIGEST_FIRST;
      c1DigestOffset = HandshakeDigest.validDigestOffset(c1, base, PLAYER_KEY, PLAYER_KEY_TEXT_LENGTH);
    }
    writeTime(s1);
    complex = c1DigestOffset >= 0;
    if (complex) {
      System.arraycopy(SERVER_VERSION, 0, s1, 4, 4);
      HandshakeDigest.imprint(s1, base, SERVER_KEY, SERVER_KEY_TEXT_LENGTH);
      s2 = randomPacket();
      byte[] c1Digest = Arrays.copyOfRange(c1, c1DigestOffset, c1DigestOffset + DIGEST_SIZE);
      HandshakeDigest.sign(s2, c1Digest, SERVER_KEY);
    } else {
      s1[4] = s1[5] = s1[6] = s1[7] = 0; // simple handshake: time, four zero bytes, random (RTMP spec 5.2.3)
      s2 = c1;
    }
    return alloc.buffer(1 + 2 * PACKET_SIZE).writeByte(RTMP_VERSION).writeBytes(s1).writeBytes(s2);
  }

  static byte[] randomPacket() {
    byte[] packet = new byte[PACKET_SIZE];
    ThreadLocalRandom.current().nextBytes(packet);
    return packet;
  }

  static void writeTime(byte[] packet) {
    int seconds = (int) (System.currentTimeMillis() / 1000);
    packet[0] = (byte) (seconds >>> 24);
    packet[1] = (byte) (seconds >>> 16);
    packet[2] = (byte) (seconds >>> 8);
    packet[3] = (byte) seconds;
  }
}
