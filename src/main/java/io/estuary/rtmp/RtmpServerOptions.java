package io.estuary.rtmp;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;

/**
 * Options of an RTMP listener. TLS (RTMPS), idle timeouts and socket options come from {@link NetServerOptions}.
 */
public class RtmpServerOptions extends NetServerOptions {

  public static final int DEFAULT_PORT = 1935;
  /**
   * How long a client may take from TCP accept through the handshake to its {@code connect} command, and again from
   * {@code connect} to its {@code publish} or {@code play} (SRS uses 30 s).
   */
  public static final long DEFAULT_HANDSHAKE_TIMEOUT = 30_000;
  /** Largest RTMP message accepted; the 24-bit length field allows 16 MiB, no real frame comes near 8. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 8 * 1024 * 1024;
  public static final int DEFAULT_MAX_CONNECTIONS = 1000;
  /** Connections one remote address may have open at once; 0: no such limit (SRS has none). */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 0;
  /**
   * How long a publisher asked to reconnect (Enhanced RTMP's NetConnection.Connect.ReconnectRequest, on a graceful
   * stop or a kick with {@code ?reconnect=1}) may keep publishing here before it is closed: time to reach its next
   * keyframe (encoders put them 2 to 4 s apart) and connect again.
   */
  public static final long DEFAULT_RECONNECT_LINGER = 5_000;

  private long handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
  private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
  private long reconnectLinger = DEFAULT_RECONNECT_LINGER;

  public RtmpServerOptions() {
    super();
    setPort(DEFAULT_PORT);
  }

  public RtmpServerOptions(RtmpServerOptions other) {
    super(other);
    this.handshakeTimeout = other.handshakeTimeout;
    this.maxMessageSize = other.maxMessageSize;
    this.maxConnections = other.maxConnections;
    this.maxConnectionsPerIp = other.maxConnectionsPerIp;
    this.reconnectLinger = other.reconnectLinger;
  }

  public RtmpServerOptions(JsonObject json) {
    super(json);
    if (!json.containsKey("port")) {
      setPort(DEFAULT_PORT);
    }
    this.handshakeTimeout = json.getLong("handshakeTimeout", DEFAULT_HANDSHAKE_TIMEOUT);
    this.maxMessageSize = json.getInteger("maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE);
    this.maxConnections = json.getInteger("maxConnections", DEFAULT_MAX_CONNECTIONS);
    this.maxConnectionsPerIp = json.getInteger("maxConnectionsPerIp", DEFAULT_MAX_CONNECTIONS_PER_IP);
    this.reconnectLinger = json.getLong("reconnectLinger", DEFAULT_RECONNECT_LINGER);
  }

  public long getHandshakeTimeout() {
    return handshakeTimeout;
  }

  public RtmpServerOptions setHandshakeTimeout(long millis) {
    this.handshakeTimeout = millis;
    return this;
  }

  public int getMaxMessageSize() {
    return maxMessageSize;
  }

  public RtmpServerOptions setMaxMessageSize(int maxMessageSize) {
    this.maxMessageSize = maxMessageSize;
    return this;
  }

  public int getMaxConnections() {
    return maxConnections;
  }

  public RtmpServerOptions setMaxConnections(int maxConnections) {
    this.maxConnections = maxConnections;
    return this;
  }

  public int getMaxConnectionsPerIp() {
    return maxConnectionsPerIp;
  }

  /** @param maxConnectionsPerIp connections one remote address may have open at once; 0 for no such limit */
  public RtmpServerOptions setMaxConnectionsPerIp(int maxConnectionsPerIp) {
    if (maxConnectionsPerIp < 0) {
      throw new IllegalArgumentException("maxConnectionsPerIp must be >= 0: " + maxConnectionsPerIp);
    }
    this.maxConnectionsPerIp = maxConnectionsPerIp;
    return this;
  }

  public long getReconnectLinger() {
    return reconnectLinger;
  }

  /** @param millis how long a publisher asked to reconnect may stay ({@link #DEFAULT_RECONNECT_LINGER}) */
  public RtmpServerOptions setReconnectLinger(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("reconnectLinger must be >= 0: " + millis);
    }
    this.reconnectLinger = millis;
    return this;
  }

  @Override
  public RtmpServerOptions setPort(int port) {
    super.setPort(port);
    return this;
  }

  @Override
  public RtmpServerOptions setHost(String host) {
    super.setHost(host);
    return this;
  }
}
