package io.estuary.rtmp.impl;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A URL the client connects to, split as FFmpeg splits it: {@code rtmp[s]://host[:port]/app/stream?params}, the app
 * up to the last slash, the stream (with its parameters) after it. A {@code vhost=} parameter also goes into the
 * tcUrl, so that the server knows the vhost at {@code connect}, as SRS's own edge sends it.
 */
record ClientUrl(boolean tls, String host, int port, String app, String stream, String tcUrl) {

  static final int RTMP_PORT = 1935;
  static final int RTMPS_PORT = 443;

  /** A play or publish URL: app and stream. */
  static ClientUrl stream(String url) {
    URI uri = uri(url);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    int slash = path.lastIndexOf('/');
    if (slash <= 0 || slash == path.length() - 1) {
      throw new IllegalArgumentException("an RTMP URL is rtmp[s]://host[:port]/app/stream: " + url);
    }
    String app = path.substring(1, slash);
    String query = uri.getRawQuery();
    String stream = path.substring(slash + 1) + (query == null ? "" : "?" + query);
    String vhost = RtmpUrl.query(query).get("vhost");
    String tcUrl = base(uri) + "/" + app + (vhost == null ? "" : "?vhost=" + vhost);
    return new ClientUrl(tls(uri), uri.getHost(), port(uri), app, stream, tcUrl);
  }

  /** A tcUrl: app and parameters, no stream. */
  static ClientUrl connection(String tcUrl) {
    URI uri = uri(tcUrl);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String app = path.startsWith("/") ? path.substring(1) : path;
    String query = uri.getRawQuery();
    return new ClientUrl(tls(uri), uri.getHost(), port(uri), app + (query == null ? "" : "?" + query), null, tcUrl);
  }

  /** The URL of {@code stream} (with its parameters) in the app of {@code tcUrl} (whose own parameters are dropped). */
  static String join(String tcUrl, String stream) {
    int q = tcUrl.indexOf('?');
    String base = q < 0 ? tcUrl : tcUrl.substring(0, q);
    return (base.endsWith("/") ? base : base + "/") + stream;
  }

  private static URI uri(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("bad RTMP URL " + url + ": " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("rtmp") && !scheme.equals("rtmps") || uri.getHost() == null) {
      throw new IllegalArgumentException("an RTMP URL is rtmp[s]://host[:port]/app/stream: " + url);
    }
    return uri;
  }

  private static boolean tls(URI uri) {
    return uri.getScheme().equalsIgnoreCase("rtmps");
  }

  private static int port(URI uri) {
    return uri.getPort() > 0 ? uri.getPort() : tls(uri) ? RTMPS_PORT : RTMP_PORT;
  }

  private static String base(URI uri) {
    return uri.getScheme().toLowerCase() + "://" + uri.getHost() + ":" + port(uri);
  }
}
