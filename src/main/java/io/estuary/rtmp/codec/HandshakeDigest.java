package io.estuary.rtmp.codec;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The digest ("FP9", complex) handshake of Flash Player 9+: an HMAC-SHA256 digest hidden in C1/S1 at an offset
 * derived from four bytes of the packet, and S2/C2 signed with a key derived from the peer's digest.
 * Not in the published RTMP spec; the layout is the one FFmpeg, nginx-rtmp and SRS implement.
 *
 * <p>A 1536-byte packet is time(4) version(4) and two 764-byte blocks, key and digest, in either order. The
 * digest block starts with the four offset bytes. {@link #BASE_DIGEST_FIRST} (8) is what this code calls schema 0,
 * {@link #BASE_KEY_FIRST} (772) schema 1 (SRS numbers them the other way round).
 */
final class HandshakeDigest {
  static final int PACKET_SIZE = 1536;
  static final int DIGEST_SIZE = 32;
  static final int BASE_DIGEST_FIRST = 8;
  static final int BASE_KEY_FIRST = 772;

  private static final byte[] KEY_TAIL = {
      (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
      (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
      (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
      (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE};
  /** "Genuine Adobe Flash Player 001" + KEY_TAIL; C1's digest uses the first 30 bytes. */
  static final byte[] PLAYER_KEY = concat("Genuine Adobe Flash Player 001", KEY_TAIL);
  /** "Genuine Adobe Flash Media Server 001" + KEY_TAIL; S1's digest uses the first 36 bytes, S2's key all 68. */
  static final byte[] SERVER_KEY = concat("Genuine Adobe Flash Media Server 001", KEY_TAIL);
  static final int PLAYER_KEY_TEXT_LENGTH = 30;
  static final int SERVER_KEY_TEXT_LENGTH = 36;

  private HandshakeDigest() {
  }

  /** Where the 32-byte digest sits: the sum of the four bytes at {@code base}, mod 728, after those four bytes. */
  static int digestOffset(byte[] packet, int base) {
    int sum = (packet[base] & 0xFF) + (packet[base + 1] & 0xFF) + (packet[base + 2] & 0xFF) + (packet[base + 3] & 0xFF);
    return sum % 728 + base + 4;
  }

  /** HMAC-SHA256 over the packet without its 32 digest bytes at {@code offset}. */
  static byte[] packetDigest(byte[] packet, int offset, byte[] key, int keyLength) {
    Mac mac = mac(key, keyLength);
    mac.update(packet, 0, offset);
    mac.update(packet, offset + DIGEST_SIZE, packet.length - offset - DIGEST_SIZE);
    return mac.doFinal();
  }

  /** The digest offset if the packet carries a valid digest at {@code base}, else -1. */
  static int validDigestOffset(byte[] packet, int base, byte[] key, int keyLength) {
    int offset = digestOffset(packet, base);
    byte[] expected = packetDigest(packet, offset, key, keyLength);
    return MessageDigest.isEqual(expected, Arrays.copyOfRange(packet, offset, offset + DIGEST_SIZE)) ? offset : -1;
  }

  /** Writes the digest into the packet at the offset its bytes at {@code base} select; returns that offset. */
  static int imprint(byte[] packet, int base, byte[] key, int keyLength) {
    int offset = digestOffset(packet, base);
    System.arraycopy(packetDigest(packet, offset, key, keyLength), 0, packet, offset, DIGEST_SIZE);
    return offset;
  }

  /** Makes S2/C2 in place: random bytes signed with HMAC(HMAC(key, peer digest), first 1504 bytes) in the last 32. */
  static void sign(byte[] response, byte[] peerDigest, byte[] key) {
    byte[] derived = hmac(key, key.length, peerDigest);
    Mac mac = mac(derived, derived.length);
    mac.update(response, 0, PACKET_SIZE - DIGEST_SIZE);
    System.arraycopy(mac.doFinal(), 0, response, PACKET_SIZE - DIGEST_SIZE, DIGEST_SIZE);
  }

  static byte[] hmac(byte[] key, int keyLength, byte[] data) {
    return mac(key, keyLength).doFinal(data);
  }

  private static Mac mac(byte[] key, int keyLength) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, 0, keyLength, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }

  private static byte[] concat(String text, byte[] tail) {
    byte[] head = text.getBytes(StandardCharsets.US_ASCII);
    byte[] key = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, key, head.length, tail.length);
    return key;
  }
}
