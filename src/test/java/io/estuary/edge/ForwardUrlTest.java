package io.estuary.edge;

import io.estuary.config.ForwardOptions.Destination;
import io.estuary.stream.StreamKey;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where SRS's forward pushes a stream for each form of {@code destination}. */
class ForwardUrlTest {

  private static final StreamKey DEFAULT = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "s");
  private static final StreamKey VHOST = new StreamKey("a.example", "live", "s");

  @Test
  void hostAndPortKeepTheAppAndStream() {
    assertEquals("rtmp://127.0.0.1:19350/live/s", Forward.url(Destination.parse("127.0.0.1:19350"), DEFAULT, ""));
    assertEquals("rtmp://slave.example:1935/live/s?vhost=a.example",
        Forward.url(Destination.parse("slave.example"), VHOST, ""));
  }

  @Test
  void anAppAndParams() {
    assertEquals("rtmp://10.0.0.2:1936/backup/s?vhost=b.example&key=1",
        Forward.url(Destination.parse("10.0.0.2:1936/backup?vhost=b.example&key=1"), VHOST, ""));
  }

  @Test
  void thePublishersTokenGoesAlongItsVhostDoesNot() {
    assertEquals("rtmp://127.0.0.1:19350/live/s?token=abc&key=1",
        Forward.url(Destination.parse("127.0.0.1:19350?key=1"), DEFAULT, "?vhost=x.example&token=abc"));
  }
}
