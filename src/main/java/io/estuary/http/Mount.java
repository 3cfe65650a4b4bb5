package io.estuary.http;

import io.estuary.config.VhostConfig;
import io.estuary.stream.StreamKey;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code http_remux { mount [vhost]/[app]/[stream].flv; }} pattern of one vhost, as SRS reads it: {@code [vhost]}
 * is the vhost's name (and dropped, with its slash, for the default vhost), {@code [app]} and {@code [stream]} match
 * one path segment each. The extension names the container: {@code .flv}, {@code .ts}, {@code .aac}, {@code .mp3}.
 */
record Mount(VhostConfig vhost, Pattern pattern, String extension, boolean hasApp, boolean hasStream) {

  static Mount of(VhostConfig vhost, String mount) {
    String m = mount.startsWith("/") ? mount.substring(1) : mount;
    if (vhost.name().equals(StreamKey.DEFAULT_VHOST)) {
      m = m.replace("[vhost]/", "");
    }
    return compile(vhost, m.replace("[vhost]", vhost.name()));
  }

  /**
   * The HTTP path of a vhost's HLS playlists, {@code hls_m3u8_file} under the HTTP root: {@code [vhost]} is the vhost's
   * name, the default vhost's too (as HLS writes the files).
   */
  static Mount playlist(VhostConfig vhost) {
    String m = vhost.hls().m3u8File();
    return compile(vhost, (m.startsWith("/") ? m.substring(1) : m).replace("[vhost]", vhost.name()));
  }

  private static Mount compile(VhostConfig vhost, String m) {
    int dot = m.lastIndexOf('.');
    String extension = dot < 0 ? "" : m.substring(dot + 1);
    StringBuilder regex = new StringBuilder("/");
    boolean app = false;
    boolean stream = false;
    int i = 0;
    while (i < m.length()) {
      // A variable named again matches the same text again, as SRS mounts the path with the names put in.
      if (m.startsWith("[app]", i)) {
        regex.append(app ? "\\k<app>" : "(?<app>[^/]+)");
        app = true;
        i += 5;
      } else if (m.startsWith("[stream]", i)) {
        regex.append(stream ? "\\k<stream>" : "(?<stream>[^/]+?)");
        stream = true;
        i += 8;
      } else {
        int next = nextVariable(m, i);
        regex.append(Pattern.quote(m.substring(i, next)));
        i = next;
      }
    }
    return new Mount(vhost, Pattern.compile(regex.toString()), extension, app, stream);
  }

  private static int nextVariable(String m, int from) {
    int app = m.indexOf("[app]", from);
    int stream = m.indexOf("[stream]", from);
    int next = m.length();
    if (app >= 0) {
      next = Math.min(next, app);
    }
    if (stream >= 0) {
      next = Math.min(next, stream);
    }
    return next;
  }

  /** The stream a request path names, or null (always, for a mount without {@code [stream]}). */
  StreamKey match(String path) {
    Matcher m = pattern.matcher(path);
    if (!hasStream || !m.matches()) {
      return null;
    }
    String app = hasApp ? m.group("app") : "live";
    return new StreamKey(vhost.name(), app, m.group("stream"));
  }
}
