/**
 * SRS's static edge: a vhost with {@code cluster { mode remote; origin ...; }} pulls each played stream from an
 * origin with one {@link io.estuary.rtmp.RtmpClient} per stream ({@link Upstream}), pushes each stream published on
 * it to an origin ({@link EdgeForwarder}), and asks an origin before serving a client when {@code token_traverse}
 * is on ({@link TokenTraverse}). {@link Edge} drives all of it from the hub's publish and demand notices.
 */
package io.estuary.edge;
