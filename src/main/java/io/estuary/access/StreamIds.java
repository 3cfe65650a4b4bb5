package io.estuary.access;

/**
 * SRS-style ids ("vid-...") for vhosts and streams in the API and callbacks: derived from the names, so they are
 * stable across publishes and the same on every node of a cluster.
 */
public final class StreamIds {

  private StreamIds() {
  }

  public static String of(String vhost, String app, String stream) {
    return "vid-" + hash(vhost + "/" + app + "/" + stream);
  }

  public static String ofVhost(String vhost) {
    return "vid-" + hash(vhost);
  }

  private static String hash(String text) {
    long h = 1125899906842597L; // a 64-bit string hash, printed in base 36
    for (int i = 0; i < text.length(); i++) {
      h = 31 * h + text.charAt(i);
    }
    String s = Long.toString(h & Long.MAX_VALUE, 36);
    return s.length() > 7 ? s.substring(0, 7) : s;
  }
}
