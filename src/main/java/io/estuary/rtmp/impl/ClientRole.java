package io.estuary.rtmp.impl;

import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;

import java.util.Map;

/** What a client session hands to the role playing or publishing on it. Called on the session's event loop. */
interface ClientRole {

  /** An onStatus information object, on the role's stream or on stream 0 (where SRS sends its 302). */
  void onStatus(Map<?, ?> info);

  /** An audio or video message; the session releases it after this returns. */
  default void onMedia(Media media) {
  }

  default void onData(DataMessage data) {
  }

  /** The end of a read: what arrived together has been handed over. */
  default void onReadComplete() {
  }

  /** The socket became writable again. */
  default void onWritable() {
  }

  /** The connection closed, for {@code reason}. */
  void onClosed(String reason);
}
