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
import java.util.function.Consumer;

/**
 * One recorded file on disk, written as {@code NAME.tmp} and renamed to {@code NAME} when closed, as SRS does. Every
 * operation is queued on the recording's {@link SerialExecutor}: callers (the publisher's event loop) never block.
 * A failure is logged once; the remaining bytes are released unwritten.
 *
 * <p>{@link #channel} and {@link #failed} are accessed only by the tasks, which the serial executor runs one at a time.
 */
final class DiskFile {

  final String path;
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

  /** Appends {@code bytes} and releases them (written or not). */
  void append(ByteBuf bytes) {
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
        bytes.release();
      }
    });
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
