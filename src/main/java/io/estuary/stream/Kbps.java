package io.estuary.stream;

/**
 * A 30-second bit rate, as SRS's API reports it (kbps.recv_30s / send_30s): byte totals sampled every 10 s by the
 * node, the rate taken over the oldest sample still within 30 s. 0 until a first interval has passed.
 */
public final class Kbps {

  static final int SAMPLES = 4; // now and 10, 20, 30 s ago
  private final long[] recv = new long[SAMPLES];
  private final long[] send = new long[SAMPLES];
  private final long[] at = new long[SAMPLES];
  private int count;
  private volatile int recvKbps;
  private volatile int sendKbps;

  /** Records the totals now (called by the node's sampler, one thread). */
  public synchronized void sample(long recvTotal, long sendTotal, long nowMillis) {
    System.arraycopy(recv, 0, recv, 1, SAMPLES - 1);
    System.arraycopy(send, 0, send, 1, SAMPLES - 1);
    System.arraycopy(at, 0, at, 1, SAMPLES - 1);
    recv[0] = recvTotal;
    send[0] = sendTotal;
    at[0] = nowMillis;
    count = Math.min(SAMPLES, count + 1);
    int oldest = count - 1;
    long ms = at[0] - at[oldest];
    if (ms > 0) {
      recvKbps = (int) ((recv[0] - recv[oldest]) * 8 / ms);
      sendKbps = (int) ((send[0] - send[oldest]) * 8 / ms);
    }
  }

  public int recv() {
    return recvKbps;
  }

  public int send() {
    return sendKbps;
  }
}
