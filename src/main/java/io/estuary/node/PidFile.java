package io.estuary.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * SRS's {@code pid} file: holds this process's id and an exclusive lock for as long as the node runs, so a second
 * instance with the same pid file refuses to start (as SRS does).
 */
final class PidFile implements AutoCloseable {

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private PidFile(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks and writes the pid file; fails when another running instance holds it. */
  static PidFile acquire(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      String holder = new String(Files.readAllBytes(path), StandardCharsets.US_ASCII).trim();
      channel.close();
      throw new IOException("pid file " + path + " is locked by a running instance (pid " + holder + ")");
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    channel.force(false);
    return new PidFile(path, channel, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
    Files.deleteIfExists(path);
  }
}
