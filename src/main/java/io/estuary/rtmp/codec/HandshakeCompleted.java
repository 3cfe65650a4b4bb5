package io.estuary.rtmp.codec;

/**
 * User event fired by {@link HandshakeHandler} and {@link ClientHandshakeHandler} once the handshake is done,
 * just before the handler removes itself; chunks follow.
 *
 * @param complex whether the peer used the digest ("FP9") handshake
 */
public record HandshakeCompleted(boolean complex) {
}
