/**
 * Supervised child processes, as SRS runs them for a vhost: {@code ingest} (ffmpeg pulling a file or stream into the
 * node, started with the configuration), {@code transcode} (ffmpeg re-encoding each publish into new streams) and
 * {@code exec} (commands run while a stream is published). Each child is restarted with back-off when it exits,
 * stopped with its stream or the node, its stderr logged line by line with the stream's client id.
 *
 * <p>It reads the typed configuration, hears publishes through {@code stream.SourceListener}, knows clients (a
 * publisher's tcUrl and pageUrl for exec's variables) and Vert.x; nothing of the protocols' insides.
 */
package io.estuary.process;
