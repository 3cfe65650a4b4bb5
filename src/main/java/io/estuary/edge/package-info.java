/**
 * SRS's static edge: a vhost with {@code cluster { mode remote; origin ...; }} pulls each played stream from an
 * origin with one {@link io.estuary.rtmp.RtmpClient} per stream ({@link Upstream}), pushes each stream published on
 * it to an origin ({@link Forwarder}), and asks an origin before serving a client when {@code token_traverse}
 * is on ({@link TokenTraverse}). {@link Edge} drives all of it from the hub's publish and demand notices.
 *
 * <p>SRS's origin forward ({@code vhost { forward { destination ...; backend ...; } }}): {@link Forward} pushes each
 * stream published on an origin to every destination, or where the backend says ({@link ForwardBackend}), with the
 * same {@link Forwarder}, which there retries instead of ending the encoder.
 */
package io.estuary.edge;
