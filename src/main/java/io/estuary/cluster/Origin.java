package io.estuary.cluster;

import io.estuary.stream.StreamKey;

/**
 * Where a coworker says a stream is published: the RTMP endpoint of its origin ({@code origin.ip}, {@code origin.port}
 * of SRS's {@code /api/v1/clusters} answer), and the coworker that said it.
 */
public record Origin(String ip, int port, String coworker) {

  /** The RTMP 302's {@code ex.redirect}: the origin's tcUrl, {@code rtmp://IP:PORT/APP}. */
  public String tcUrl(String app) {
    return "rtmp://" + (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port + "/" + app;
  }

  /**
   * The RTMP 302's {@code ex.redirect2}: {@code rtmp://IP:PORT/APP/STREAM?vhost=V&PARAMS}, the client's parameters
   * kept. As SRS (srs_generate_stream_with_query), the vhost is named unless the parameters already do, and the
   * default vhost is not named.
   */
  public String url(String app, String stream, String vhost, String param) {
    String params = param == null ? "" : param.startsWith("?") ? param.substring(1) : param;
    StringBuilder query = new StringBuilder();
    if (!params.contains("vhost=") && vhost != null && !vhost.isEmpty()
        && !StreamKey.DEFAULT_VHOST.equals(vhost)) {
      query.append("vhost=").append(vhost);
    }
    if (!params.isEmpty()) {
      query.append(query.isEmpty() ? "" : "&").append(params);
    }
    return tcUrl(app) + "/" + stream + (query.isEmpty() ? "" : "?" + query);
  }
}
