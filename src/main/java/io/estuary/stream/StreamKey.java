package io.estuary.stream;

/**
 * Names one live stream: vhost, app and stream, as SRS does. The vhost is the resolved vhost name
 * ({@code __defaultVhost__} when the client named none that is configured).
 */
public record StreamKey(String vhost, String app, String stream) {

  public static final String DEFAULT_VHOST = "__defaultVhost__";

  /** The stream's url as SRS reports it: {@code /app/stream}. */
  public String url() {
    return "/" + app + "/" + stream;
  }

  @Override
  public String toString() {
    return vhost + url();
  }
}
