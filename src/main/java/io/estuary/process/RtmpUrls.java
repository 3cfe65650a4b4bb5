package io.estuary.process;

import io.estuary.config.VhostConfig;
import io.estuary.config.Vhosts;
import io.estuary.stream.StreamKey;

/** Which stream of this node an RTMP URL a child writes to names, as SRS reads it: {@code rtmp://host[:port]/app[?vhost=v]/stream[?vhost=v]}. */
final class RtmpUrls {

  private RtmpUrls() {
  }

  /** The stream {@code url} names, its vhost resolved as a client's would be; null when it is not an RTMP URL. */
  static StreamKey key(String url, Vhosts vhosts) {
    if (!url.startsWith("rtmp://")) {
      return null;
    }
    String rest = url.substring("rtmp://".length());
    int slash = rest.indexOf('/');
    int last = rest.lastIndexOf('/');
    if (slash < 0 || last == slash && last == rest.length() - 1) {
      return null;
    }
    String host = rest.substring(0, slash);
    int colon = host.lastIndexOf(':');
    if (colon > 0 && !host.endsWith("]")) {
      host = host.substring(0, colon);
    }
    String app = rest.substring(slash + 1, last);
    String stream = rest.substring(last + 1);
    if (app.isEmpty()) {
      return null;
    }
    String vhost = param(stream, "vhost");
    if (vhost == null) {
      vhost = param(app, "vhost");
    }
    if (vhost == null) {
      vhost = host;
    }
    VhostConfig resolved = vhosts.resolve(vhost);
    if (resolved == null) {
      return null;
    }
    return new StreamKey(resolved.name(), strip(app), strip(stream));
  }

  private static String strip(String part) {
    int q = part.indexOf('?');
    return q < 0 ? part : part.substring(0, q);
  }

  private static String param(String part, String name) {
    int q = part.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String kv : part.substring(q + 1).split("[&?]")) {
      int eq = kv.indexOf('=');
      if (eq > 0 && kv.substring(0, eq).equals(name)) {
        return kv.substring(eq + 1);
      }
    }
    return null;
  }
}
