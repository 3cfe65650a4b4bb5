package io.estuary.rtmp.impl;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a client asked for, from its tcUrl, app and stream name, resolved as SRS does: the vhost comes from a
 * {@code vhost=} (or {@code domain=}) parameter in the app, the tcUrl or the stream name, else from the tcUrl's host;
 * parameters after {@code ?} are kept for callbacks.
 *
 * <p>Forms: {@code rtmp://host/app?vhost=v/stream}, {@code rtmp://host/app/stream?vhost=v}, {@code rtmp://v/app/stream}.
 */
record RtmpUrl(String host, String vhost, String app, String stream, String param) {

  static RtmpUrl parse(String tcUrl, String app, String streamName) {
    String host = hostOf(tcUrl);
    String appName = app == null ? "" : app;
    String appParam = "";
    int q = appName.indexOf('?');
    if (q >= 0) {
      appParam = appName.substring(q);
      appName = appName.substring(0, q);
    }
    // ffmpeg sends "app?vhost=x" both in app and in the tcUrl; SRS also accepts "app...vhost...x".
    int legacy = appName.indexOf("...vhost...");
    if (legacy >= 0) {
      appParam = "?vhost=" + appName.substring(legacy + 11);
      appName = appName.substring(0, legacy);
    }
    appName = trimSlashes(appName);
    String stream = streamName == null ? "" : streamName;
    String streamParam = "";
    q = stream.indexOf('?');
    if (q >= 0) {
      streamParam = stream.substring(q);
      stream = stream.substring(0, q);
    }
    String param = !streamParam.isEmpty() ? streamParam : appParam;
    Map<String, String> query = query(appParam);
    query.putAll(query(tcQuery(tcUrl)));
    query.putAll(query(streamParam));
    String vhost = query.getOrDefault("vhost", query.getOrDefault("domain", host));
    return new RtmpUrl(host, vhost, appName, stream, param);
  }

  private static String hostOf(String tcUrl) {
    if (tcUrl == null) {
      return null;
    }
    try {
      return URI.create(tcUrl.replace(" ", "%20")).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String tcQuery(String tcUrl) {
    if (tcUrl == null) {
      return "";
    }
    int q = tcUrl.indexOf('?');
    return q < 0 ? "" : tcUrl.substring(q);
  }

  static Map<String, String> query(String param) {
    Map<String, String> map = new LinkedHashMap<>();
    if (param == null || param.isEmpty()) {
      return map;
    }
    String body = param.startsWith("?") ? param.substring(1) : param;
    for (String pair : body.split("[&?]")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq < 0) {
        map.put(pair, "");
      } else {
        map.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return map;
  }

  private static String trimSlashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '/') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(start, end);
  }
}
