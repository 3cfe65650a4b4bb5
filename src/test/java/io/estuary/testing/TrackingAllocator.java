package io.estuary.testing;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * An allocator that remembers every buffer it made, for a fuzz target to check per input what the leak detector
 * would only report after a garbage collection: that every buffer was released ({@link #assertAllReleased}), and that
 * no single allocation was sized beyond a bound ({@link #largestRequest}), as one sized by a declared length would be.
 * Buffers are heap buffers (direct requests too); still wrapped by Netty's leak detector like any allocator's.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {
  private final List<ByteBuf> allocated = new ArrayList<>();
  private int largestRequest;

  public TrackingAllocator() {
    super(false);
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity), initialCapacity);
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    return newHeapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
    return track(super.compositeHeapBuffer(maxNumComponents), 0);
  }

  @Override
  public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
    return compositeHeapBuffer(maxNumComponents);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  private <B extends ByteBuf> B track(B buf, int request) {
    allocated.add(buf);
    largestRequest = Math.max(largestRequest, request);
    return buf;
  }

  /** The largest initial capacity asked for so far. */
  public int largestRequest() {
    return largestRequest;
  }

  /** Fails naming how many of the buffers made so far are still referenced. */
  public void assertAllReleased() {
    long live = allocated.stream().filter(buf -> buf.refCnt() > 0).count();
    if (live > 0) {
      fail(live + " of " + allocated.size() + " buffers not released");
    }
  }

  /** Fails when an allocation asked for more than {@code bound} bytes. */
  public void assertLargestRequestAtMost(int bound) {
    if (largestRequest > bound) {
      fail("allocation of " + largestRequest + " bytes, bound " + bound);
    }
  }
}
