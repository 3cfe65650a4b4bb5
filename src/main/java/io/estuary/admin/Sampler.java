package io.estuary.admin;

import io.estuary.access.Client;
import io.estuary.access.Clients;
import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;

import java.util.HashMap;
import java.util.Map;

/** Samples byte totals every {@link #PERIOD_MS} for the 30-second kbps the API reports (SRS's recv_30s/send_30s). */
public final class Sampler {

  public static final long PERIOD_MS = 10_000;

  private Sampler() {
  }

  public static void sample(StreamHub hub, Clients clients) {
    long now = System.currentTimeMillis();
    Map<StreamKey, Long> sentByStream = new HashMap<>();
    for (Client c : clients.all()) {
      c.kbps().sample(c.recvBytes(), c.sendBytes(), now);
      if (c.stream() != null && !c.isPublishing()) {
        sentByStream.merge(new StreamKey(c.vhost(), c.app(), c.stream()), c.sendBytes(), Long::sum);
      }
    }
    for (Source s : hub.sources()) {
      s.kbps().sample(s.recvBytes(), sentByStream.getOrDefault(s.key(), 0L), now);
    }
  }
}
