package io.estuary.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads the tags of an FLV file one at a time, for tools and tests (a publisher that loops a file, a DVR check):
 * blocking file I/O, so not for an event loop. Tags are slices of 64 KiB read buffers; each must be released.
 * A file that ends inside a tag yields the whole tags before it, and {@link #truncated()} then says so.
 */
public final class FlvFile implements Iterator<FlvTag>, Closeable {

  private static final int READ_SIZE = 64 * 1024;

  private final FileChannel channel;
  private final ByteBufAllocator alloc;
  private final FlvReader reader;
  private ByteBuf buffer;
  private FlvTag pending;
  private boolean eof;

  private FlvFile(FileChannel channel, ByteBufAllocator alloc, FlvReader reader) {
    this.channel = channel;
    this.alloc = alloc;
    this.reader = reader;
    this.buffer = alloc.heapBuffer(0);
  }

  public static FlvFile open(Path path) throws IOException {
    return open(path, UnpooledByteBufAllocator.DEFAULT, FlvReader.DEFAULT_MAX_TAG_SIZE);
  }

  public static FlvFile open(Path path, ByteBufAllocator alloc, int maxTagSize) throws IOException {
    return new FlvFile(FileChannel.open(path, StandardOpenOption.READ), alloc, new FlvReader(maxTagSize));
  }

  /** The file's header; reads it first if need be. Null for a file too short to hold one. */
  public FlvHeader header() {
    if (reader.header() == null) {
      hasNext();
    }
    return reader.header();
  }

  /**
   * @throws FlvFormatException   when the file is not FLV
   * @throws UncheckedIOException when reading fails
   */
  @Override
  public boolean hasNext() {
    while (pending == null) {
      pending = reader.next(buffer);
      if (pending == null) {
        if (eof || !fill()) {
          return false;
        }
      }
    }
    return true;
  }

  /** The next tag, owned by the caller. */
  @Override
  public FlvTag next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    FlvTag tag = pending;
    pending = null;
    return tag;
  }

  /** After the last tag: true when the file ended inside the header or a tag. */
  public boolean truncated() {
    return eof && (!reader.atBoundary() || buffer.isReadable());
  }

  private boolean fill() {
    try {
      if (buffer.capacity() - buffer.writerIndex() < READ_SIZE) {
        // Tags already read are slices of the old buffer, so its bytes are copied forward, never moved in place.
        int readable = buffer.readableBytes();
        ByteBuf bigger = alloc.heapBuffer(Math.max(readable + READ_SIZE, readable * 2));
        bigger.writeBytes(buffer);
        buffer.release();
        buffer = bigger;
      }
      if (buffer.writeBytes(channel, buffer.capacity() - buffer.writerIndex()) < 0) {
        eof = true;
        return false;
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    if (!channel.isOpen()) {
      return;
    }
    if (pending != null) {
      pending.release();
      pending = null;
    }
    buffer.release();
    channel.close();
  }
}
