package io.estuary.http;

import io.estuary.access.Client;
import io.estuary.stream.Consumer;
import io.estuary.stream.OwnBytes;
import io.estuary.stream.StreamMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;

import java.util.logging.Logger;

/**
 * An HTTP live player (HTTP-FLV, HTTP-TS, AAC, MP3): one long chunked response. Every message's payload is the
 * stream's shared buffer; the {@link Framing} adds only this player's own bytes (an FLV tag header, an ADTS header).
 * A merged write is one HTTP chunk: the messages of one flush gathered in a composite buffer ({@link MergedWrite}),
 * written once, which reaches the socket as its pieces ({@link Unbundle}).
 *
 * <p>State accessed exclusively from the connection's event loop.
 */
final class HttpLivePlayer implements Consumer.Sink {

  private static final Logger LOG = Logger.getLogger("io.estuary.http");
  /** Components of one merged write before Netty would consolidate (copy) them. */
  private static final int MAX_COMPONENTS = 4096;
  /** A long drain (a player catching up) is written in several chunks, well before consolidation. */
  private static final int FLUSH_COMPONENTS = 1024;

  private final HttpServerResponse response;
  private final ByteBufAllocator alloc;
  private final Framing framing;
  private final Runnable onEnd;
  private final Runnable disconnect;
  private final Client client;
  /** The connection hands a merged write to the socket as its pieces ({@link Unbundle}): no composite needed. */
  private final boolean unbundled;
  /** The array of its merged writes' pieces, given back by the last one released (when {@link #unbundled}). */
  private final MergedWrite.Room room = new MergedWrite.Room();
  private MergedWrite pending;
  /** This player's tag headers (or ADTS headers) of the merged write in progress. */
  private final OwnBytes own = new OwnBytes();

  /**
   * {@code unbundled}: the connection hands a merged write to the socket as its pieces; {@code onEnd} runs when the
   * stream ended; {@code disconnect} closes the player's connection at once, when it stopped reading ({@link #stuck}).
   */
  HttpLivePlayer(HttpServerResponse response, ByteBufAllocator alloc, Framing framing, Client client, boolean unbundled,
                 Runnable onEnd, Runnable disconnect) {
    this.response = response;
    this.unbundled = unbundled;
    this.disconnect = disconnect;
    this.client = client;
    this.alloc = alloc;
    this.framing = framing;
    this.onEnd = onEnd;
    ByteBuf start = framing.start(alloc);
    if (start != null) {
      pending().addComponent(true, start);
    }
  }

  @Override
  public boolean writable() {
    return !response.writeQueueFull();
  }

  @Override
  public void write(StreamMessage message, long timestamp) {
    try {
      framing.append(pending(), message, timestamp, own);
      if (pending.numComponents() >= FLUSH_COMPONENTS) {
        flush();
      }
    } finally {
      message.release();
    }
  }

  private CompositeByteBuf pending() {
    if (pending == null) {
      pending = unbundled ? MergedWrite.pieces(alloc, room) : MergedWrite.composite(alloc, MAX_COMPONENTS);
    }
    return pending;
  }

  @Override
  public void flush() {
    if (pending == null) {
      return;
    }
    framing.finish(pending, own);
    if (response.closed() || response.ended() || !pending.isReadable()) {
      release();
      return;
    }
    ByteBuf chunk = pending;
    pending = null;
    client.addSent(chunk.readableBytes());
    // Vert.x writes a foreign ByteBuf without taking ownership: release it once written (or failed).
    // Vert.x internal API, here only: BufferInternal wraps the shared ByteBuf without copying the stream's payload.
    response.write(BufferInternal.buffer(chunk)).onComplete(done -> chunk.release());
    own.release(); // the chunk's slices keep this write's own bytes
  }

  /** A player that stopped reading: closed, as an RTMP one is; its session ends when the connection does. */
  @Override
  public void stuck(String reason) {
    LOG.warning("[" + client.id() + "] " + client.ip() + " closing: " + reason);
    disconnect.run();
  }

  @Override
  public void streamEnded() {
    flush();
    if (!response.ended() && !response.closed()) {
      response.end();
    }
    onEnd.run();
  }

  void release() {
    if (pending != null) {
      pending.release();
      pending = null;
    }
    own.release();
  }
}
