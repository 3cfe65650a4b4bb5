package io.estuary.rtmp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Options of an {@link RtmpClient}. TLS (RTMPS: {@code setSsl(true)}, trust options, SNI), the connect timeout
 * and socket options come from {@link NetClientOptions}; an {@code rtmps://} URL uses TLS whatever {@code ssl} says.
 */
public class RtmpClientOptions extends NetClientOptions {

  /** How long the server has to complete the RTMP handshake, in ms. */
  public static final long DEFAULT_HANDSHAKE_TIMEOUT = 10_000;
  /** How long the TCP (and TLS) connect may take, in ms. */
  public static final int DEFAULT_CONNECT_TIMEOUT = 10_000;
  /** The chunk size the client sends with, announced right after the handshake, as FFmpeg does. */
  public static final int DEFAULT_CHUNK_SIZE = 60_000;
  /** Largest incoming RTMP message accepted. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 8 * 1024 * 1024;
  /** The flashVer of {@code connect}: what FFmpeg sends when it plays. */
  public static final String DEFAULT_FLASH_VER = "LNX 9,0,124,2";
  /** How many RTMP 302 redirects in a row are followed before the session fails. */
  public static final int DEFAULT_MAX_REDIRECTS = 5;

  /**
   * The server's certificate must name the host (as HTTPS checks it); set "" not to check, as FFmpeg does not by
   * default ({@code tls_verify 0}).
   */
  public static final String DEFAULT_HOSTNAME_VERIFICATION_ALGORITHM = "HTTPS";

  private long handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
  private int chunkSize = DEFAULT_CHUNK_SIZE;
  private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private String flashVer = DEFAULT_FLASH_VER;
  private int maxRedirects = DEFAULT_MAX_REDIRECTS;
  private int capsEx;
  private List<String> fourCcList = List.of();

  public RtmpClientOptions() {
    super();
    setConnectTimeout(DEFAULT_CONNECT_TIMEOUT);
    setHostnameVerificationAlgorithm(DEFAULT_HOSTNAME_VERIFICATION_ALGORITHM);
  }

  public RtmpClientOptions(RtmpClientOptions other) {
    super(other);
    this.handshakeTimeout = other.handshakeTimeout;
    this.chunkSize = other.chunkSize;
    this.maxMessageSize = other.maxMessageSize;
    this.flashVer = other.flashVer;
    this.maxRedirects = other.maxRedirects;
    this.capsEx = other.capsEx;
    this.fourCcList = other.fourCcList;
  }

  public RtmpClientOptions(JsonObject json) {
    super(json);
    if (!json.containsKey("connectTimeout")) {
      setConnectTimeout(DEFAULT_CONNECT_TIMEOUT);
    }
    if (!json.containsKey("hostnameVerificationAlgorithm")) {
      setHostnameVerificationAlgorithm(DEFAULT_HOSTNAME_VERIFICATION_ALGORITHM);
    }
    this.handshakeTimeout = json.getLong("handshakeTimeout", DEFAULT_HANDSHAKE_TIMEOUT);
    this.chunkSize = json.getInteger("chunkSize", DEFAULT_CHUNK_SIZE);
    this.maxMessageSize = json.getInteger("maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE);
    this.flashVer = json.getString("flashVer", DEFAULT_FLASH_VER);
    this.maxRedirects = json.getInteger("maxRedirects", DEFAULT_MAX_REDIRECTS);
    setCapsEx(json.getInteger("capsEx", 0));
    JsonArray list = json.getJsonArray("fourCcList");
    if (list != null) {
      List<String> fourCcs = new ArrayList<>();
      list.forEach(v -> fourCcs.add(String.valueOf(v)));
      setFourCcList(fourCcs);
    }
  }

  public long getHandshakeTimeout() {
    return handshakeTimeout;
  }

  /** @param millis how long the server has to finish the handshake; 0 for no limit */
  public RtmpClientOptions setHandshakeTimeout(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("handshakeTimeout must be >= 0: " + millis);
    }
    this.handshakeTimeout = millis;
    return this;
  }

  public int getChunkSize() {
    return chunkSize;
  }

  /**
   * The chunk size the client sends with (128 to 16777215); 128 sends no Set Chunk Size. A stream played into a
   * {@code Source} is chunked once for it, for that source's RTMP players: set it to theirs (the vhost's chunk_size).
   */
  public RtmpClientOptions setChunkSize(int chunkSize) {
    if (chunkSize < 128 || chunkSize > 0xFFFFFF) {
      throw new IllegalArgumentException("chunkSize must be in [128, 16777215]: " + chunkSize);
    }
    this.chunkSize = chunkSize;
    return this;
  }

  public int getMaxMessageSize() {
    return maxMessageSize;
  }

  public RtmpClientOptions setMaxMessageSize(int maxMessageSize) {
    if (maxMessageSize < 1) {
      throw new IllegalArgumentException("maxMessageSize must be > 0: " + maxMessageSize);
    }
    this.maxMessageSize = maxMessageSize;
    return this;
  }

  public String getFlashVer() {
    return flashVer;
  }

  public RtmpClientOptions setFlashVer(String flashVer) {
    this.flashVer = flashVer;
    return this;
  }

  public int getMaxRedirects() {
    return maxRedirects;
  }

  public RtmpClientOptions setMaxRedirects(int maxRedirects) {
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("maxRedirects must be >= 0: " + maxRedirects);
    }
    this.maxRedirects = maxRedirects;
    return this;
  }

  public int getCapsEx() {
    return capsEx;
  }

  /**
   * The Enhanced RTMP v2 {@code capsEx} announced in {@code connect}: {@link RtmpCapabilities#CAPS_EX_RECONNECT} and
   * the other {@code CAPS_EX_*} bits; 0 (the default) with an empty {@link #setFourCcList fourCcList} announces
   * nothing, as FFmpeg does by default.
   */
  public RtmpClientOptions setCapsEx(int capsEx) {
    if (capsEx < 0) {
      throw new IllegalArgumentException("capsEx must be >= 0: " + capsEx);
    }
    this.capsEx = capsEx;
    return this;
  }

  public List<String> getFourCcList() {
    return fourCcList;
  }

  /** The Enhanced RTMP {@code fourCcList} announced in {@code connect}: FourCCs ({@code "hvc1"}, ...) or {@code "*"}. */
  public RtmpClientOptions setFourCcList(List<String> fourCcList) {
    for (String fourCc : fourCcList) {
      if (!RtmpCapabilities.ANY.equals(fourCc) && (fourCc == null || fourCc.length() != 4)) {
        throw new IllegalArgumentException("a fourCcList entry is four characters or \"*\": " + fourCc);
      }
    }
    this.fourCcList = List.copyOf(fourCcList);
    return this;
  }

  /** What {@code connect} announces: {@link #getFourCcList()} and {@link #getCapsEx()}. */
  public RtmpCapabilities capabilities() {
    return new RtmpCapabilities(fourCcList, Map.of(), Map.of(), capsEx);
  }

  @Override
  public RtmpClientOptions setSsl(boolean ssl) {
    super.setSsl(ssl);
    return this;
  }

  @Override
  public RtmpClientOptions setTrustAll(boolean trustAll) {
    super.setTrustAll(trustAll);
    return this;
  }

  @Override
  public RtmpClientOptions setHostnameVerificationAlgorithm(String algorithm) {
    super.setHostnameVerificationAlgorithm(algorithm);
    return this;
  }

  @Override
  public RtmpClientOptions setConnectTimeout(int connectTimeout) {
    super.setConnectTimeout(connectTimeout);
    return this;
  }
}
