package io.estuary.access;

import io.estuary.stream.Kbps;
import io.estuary.stream.StreamKey;
import io.vertx.core.json.JsonObject;

/**
 * One connected client as the API and callbacks see it: who it is, what it asked for, how many bytes it moved.
 * Written by its connection's event loop (single writer, volatile fields), read from any thread.
 */
public final class Client {

  private final String id = ClientId.next();
  private final String ip;
  private final long connectedAt = System.currentTimeMillis();
  private final Kick kick;
  private volatile String type;
  private volatile String vhost;
  private volatile String app;
  private volatile String stream;
  private volatile String param = "";
  private volatile String tcUrl;
  private volatile String pageUrl = "";
  private volatile String swfUrl = "";
  private volatile boolean publishing;
  private volatile long sendBytes;
  private volatile long recvBytes;
  private final Kbps kbps = new Kbps();

  /**
   * How the API or the node makes a client leave, from any thread: {@code reconnect} asks a client that can (an RTMP
   * publisher that announced Enhanced RTMP's Reconnect capability) to reconnect before it is closed; any other client
   * is closed at once.
   */
  @FunctionalInterface
  public interface Kick {
    void kick(boolean reconnect);
  }

  /** {@code kick} closes the client; it may be called from any thread. */
  public Client(String ip, String type, Runnable kick) {
    this(ip, type, reconnect -> kick.run());
  }

  /** {@code kick} closes the client, or asks it to reconnect first when it can; from any thread. */
  public Client(String ip, String type, Kick kick) {
    this.ip = ip;
    this.type = type;
    this.kick = kick;
  }

  public String id() {
    return id;
  }

  public String ip() {
    return ip;
  }

  public String type() {
    return type;
  }

  public String vhost() {
    return vhost;
  }

  public String app() {
    return app;
  }

  public String stream() {
    return stream;
  }

  /** The request parameters of its publish or play ({@code ?token=...}), or "". */
  public String param() {
    return param;
  }

  public boolean isPublishing() {
    return publishing;
  }

  public long sendBytes() {
    return sendBytes;
  }

  public long recvBytes() {
    return recvBytes;
  }

  public Kbps kbps() {
    return kbps;
  }

  /** What the client connected to (RTMP connect), before it names a stream. */
  public void connected(String vhost, String app, String tcUrl, String pageUrl, String swfUrl) {
    this.vhost = vhost;
    this.app = app;
    this.tcUrl = tcUrl;
    this.pageUrl = pageUrl == null ? "" : pageUrl;
    this.swfUrl = swfUrl == null ? "" : swfUrl;
  }

  /** The client identified its stream: it publishes or plays {@code key}, as {@code type} ("fmle-publish", ...). */
  public void identified(StreamKey key, String param, String type, boolean publishing) {
    this.vhost = key.vhost();
    this.app = key.app();
    this.stream = key.stream();
    this.param = param == null ? "" : param;
    this.type = type;
    this.publishing = publishing;
    if (tcUrl == null) {
      tcUrl = "";
    }
  }

  /** The client stopped publishing or playing, but stays connected. */
  public void stopped() {
    this.publishing = false;
  }

  /** Called by the connection's loop only. */
  public void addSent(long bytes) {
    sendBytes += bytes;
  }

  /** Called by the connection's loop only. */
  public void addReceived(long bytes) {
    recvBytes += bytes;
  }

  /** Closes the client now. */
  public void kick() {
    kick.kick(false);
  }

  /** With {@code reconnect}, asks the client to reconnect if it can, else closes it now ({@link Kick}). */
  public void kick(boolean reconnect) {
    kick.kick(reconnect);
  }

  /** The fields SRS's HTTP callbacks and events carry about a client (server and action added by the sender). */
  public JsonObject describe() {
    String app = this.app == null ? "" : this.app;
    String stream = this.stream == null ? "" : this.stream;
    return new JsonObject()
        .put("client_id", id)
        .put("ip", ip)
        .put("vhost", vhost == null ? StreamKey.DEFAULT_VHOST : vhost)
        .put("app", app)
        .put("stream", stream)
        .put("param", param)
        .put("tcUrl", tcUrl == null ? "" : tcUrl)
        .put("pageUrl", pageUrl)
        .put("stream_url", "/" + app + "/" + stream)
        .put("stream_id", stream.isEmpty() ? "" : StreamIds.of(vhost, app, stream));
  }

  /** The API's item for this client, as SRS's /api/v1/clients. */
  public JsonObject toApi(String vhostId, String streamId) {
    return new JsonObject()
        .put("id", id)
        .put("vhost", vhostId)
        .put("stream", streamId)
        .put("ip", ip)
        .put("pageUrl", pageUrl)
        .put("swfUrl", swfUrl)
        .put("tcUrl", tcUrl == null ? "" : tcUrl)
        .put("url", stream == null ? "" : "/" + app + "/" + stream)
        .put("name", stream == null ? "" : stream)
        .put("type", type)
        .put("publish", publishing)
        .put("alive", (System.currentTimeMillis() - connectedAt) / 1000.0)
        .put("send_bytes", sendBytes)
        .put("recv_bytes", recvBytes)
        .put("kbps", new JsonObject().put("recv_30s", kbps.recv()).put("send_30s", kbps.send()));
  }
}
