package io.estuary.dvr;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One recorded file on disk, written as {@code NAME.tmp} and renamed to {@code NAME} when closed, as SRS does. Every
 * operation is queued on the recording's {@link SerialExecutor}: callers (the publisher's event loop) never block.
 * A failure is logged once; the remaining bytes are released unwritten.
 *
 * <p>The bytes queued for the disk are counted: past {@link #MAX_QUEUED_BYTES} (a disk slower than the stream, or
 * stuck) {@link #append} says so, and the recorder ends the file there, whole, rather than hold the stream in memory.
 *
 * <p>{@link #channel} and {@link #failed} are accessed only by the tasks, which the serial executor runs one at a time.
 */
final class DiskFile {

  /** The bytes a recording may have waiting for the disk: tens of seconds of a high-bitrate stream. */
  static final long MAX_QUEUED_BYTES = 32L * 1024 * 1024;

  final String path;
  private final AtomicLong queued = new AtomicLong();
  private final Path target;
  private final Path temp;
  private final SerialExecutor disk;
  private FileChannel channel;
  private boolean failed;

  DiskFile(String path, SerialExecutor disk) {
    this.path = path;
    this.target = Path.of(path);
    this.temp = Path.of(path + ".tmp");
    this.disk = disk;
    disk.execute(this::open);
  }

  private void open() {
    try {
      Path dir = target.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      Dvr.LOG.info("dvr: recording " + temp);
    } catch (IOException e) {
      fail("cannot open", e);
    }
  }

  /**
   * Appends {@code bytes} and releases them (written or not). False when the disk is behind by more than
   * {@link #MAX_QUEUED_BYTES} with these bytes counted: the caller should end the file.
   */
  boolean append(ByteBuf bytes) {
    int size = bytes.readableBytes();
    long behind = queued.addAndGet(size);
    disk.execute(() -> {
      try {
        if (channel != null && !failed) {
          for (ByteBuffer b : bytes.nioBuffers()) {
            while (b.hasRemaining()) {
              channel.write(b);
            }
          }
        }
      } catch (IOException e) {
        fail("cannot write", e);
      } finally {
        queued.addAndGet(-size);
        bytes.release();
      }
    });
    return behind <= MAX_QUEUED_BYTES;
  }

  /** Bytes handed to {@link #append} and not yet written (or dropped after a failure). */
  long queued() {
    return queued.get();
  }

  /** Closes the file and renames it to its name; then {@code closed} gets the name (not when the file failed). */
  void close(Consumer<String> closed) {
    disk.execute(() -> {
      if (channel == null) {
        return;
      }
      try {
        channel.close();
        channel = null;
        if (failed) {
          return;
        }
        try {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        fail("cannot close", e);
        return;
      }
      Dvr.LOG.info("dvr: recorded " + target);
      closed.accept(path);
    });
  }

  private void fail(String what, IOException e) {
    if (!failed) {
      failed = true;
      Dvr.LOG.warning("dvr: " + what + " " + temp + ": " + e);
    }
  }
}
