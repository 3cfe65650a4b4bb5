package io.estuary.access;

import java.util.concurrent.ThreadLocalRandom;

/** Short random client ids, as SRS's ("7b2o8jn1"): every log line, API item and callback about a client carries it. */
public final class ClientId {

  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

  private ClientId() {
  }

  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] id = new char[8];
    for (int i = 0; i < id.length; i++) {
      id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(id);
  }
}
