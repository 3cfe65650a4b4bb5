package io.estuary.access;

import io.vertx.core.eventbus.DeliveryOptions;

/**
 * The control plane's event bus addresses. Connections publish client and stream lifecycle events; the API,
 * HTTP callbacks and the exporter subscribe. Bodies are JSON objects with SRS's callback fields
 * ({@link Client#describe()}: client_id, ip, vhost, app, stream, param, tcUrl, pageUrl, stream_url, stream_id) and
 * {@code action} (on_connect, on_close, on_publish, on_unpublish, on_play, on_stop, on_dvr); on_close adds send_bytes
 * and recv_bytes, on_dvr cwd and file.
 */
public final class Events {

  /** A client identified its stream (SRS sends on_connect then). Published. */
  public static final String CONNECT = "estuary.client.connect";
  /** A client left. Published. */
  public static final String CLOSE = "estuary.client.close";
  public static final String PUBLISH = "estuary.stream.publish";
  public static final String UNPUBLISH = "estuary.stream.unpublish";
  public static final String PLAY = "estuary.stream.play";
  public static final String STOP = "estuary.stream.stop";
  /**
   * A recorded file was closed and renamed (SRS's on_dvr): the publisher's fields ({@code action} on_dvr) plus
   * {@code cwd} and {@code file}. Published, on the node that recorded it.
   */
  public static final String DVR = "estuary.stream.dvr";
  /**
   * Request/reply: may this client connect, publish or play ({@code action} on_connect, on_publish, on_play)?
   * Answered by the HTTP callbacks: a reply allows, a failure (with the reason) refuses.
   */
  public static final String AUTHORIZE = "estuary.hooks.authorize";
  /**
   * Request/reply, asked once per client before its callbacks: may this client be served ({@link Client#describe()})?
   * Answered by an edge whose vhost has {@code token_traverse on} (it asks its origin); nobody answering allows.
   */
  public static final String TRAVERSE = "estuary.edge.traverse";

  /**
   * How events are published and verdicts asked: on this node only. With a clustered event bus an address spans every
   * node, and an event must fire once, on the node where it happened (its callbacks, its exporter, its API).
   */
  public static DeliveryOptions local() {
    return new DeliveryOptions().setLocalOnly(true); // a fresh one: DeliveryOptions is mutable
  }

  private Events() {
  }
}
