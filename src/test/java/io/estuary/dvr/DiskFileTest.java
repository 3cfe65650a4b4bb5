package io.estuary.dvr;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskFileTest {

  private static final int MIB = 1024 * 1024;

  /** A disk that stalls: its tasks wait until the test runs them. */
  private final Queue<Runnable> stalled = new ArrayDeque<>();

  @Test
  void aDiskThatFallsBehindIsReportedPastTheBoundAndEveryBufferIsStillWrittenAndReleased(@TempDir Path dir)
      throws Exception {
    DiskFile file = new DiskFile(dir.resolve("slow.flv").toString(), new SerialExecutor(stalled::add));
    List<ByteBuf> handed = new ArrayList<>();
    int fits = (int) (DiskFile.MAX_QUEUED_BYTES / MIB);
    for (int i = 0; i < fits; i++) {
      ByteBuf mib = Unpooled.wrappedBuffer(new byte[MIB]);
      handed.add(mib);
      assertTrue(file.append(mib), "within the bound after " + (i + 1) + " MiB");
    }
    ByteBuf past = Unpooled.wrappedBuffer(new byte[MIB]);
    handed.add(past);
    assertFalse(file.append(past), "one MiB past the bound: the recorder is told to end the file");
    assertEquals(DiskFile.MAX_QUEUED_BYTES + MIB, file.queued());

    String[] closed = new String[1];
    file.close(name -> closed[0] = name);
    while (!stalled.isEmpty()) { // the disk catches up
      stalled.poll().run();
    }
    assertEquals(0, file.queued());
    handed.forEach(b -> assertEquals(0, b.refCnt(), "released once written"));
    assertEquals(dir.resolve("slow.flv").toString(), closed[0]);
    assertEquals(DiskFile.MAX_QUEUED_BYTES + MIB, Files.size(dir.resolve("slow.flv")), "nothing handed was lost");
    assertFalse(Files.exists(dir.resolve("slow.flv.tmp")));
  }
}
