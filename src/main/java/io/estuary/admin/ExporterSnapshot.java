package io.estuary.admin;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the node knows at scrape time, in the units it counts in; {@link Exporter} converts to SRS's units.
 *
 * @param version            the node's version, e.g. {@code 0.1.0}; its first number is rendered as {@code major}
 * @param cpuPercent         process CPU use in percent (100 = one core busy)
 * @param memoryBytes        process resident memory in bytes (rendered in KiB, as SRS does)
 * @param sendBytesTotal     bytes sent to clients since start
 * @param receiveBytesTotal  bytes received from clients since start
 * @param streams            live streams now
 * @param clients            connected clients now
 * @param clientsTotal       clients accepted since start
 * @param clientsErrorsTotal clients that ended with an error since start
 * @param videoCodecs        live streams by video codec name ("H264", "HEVC", "AV1", "VP9"), sorted by name
 * @param audioCodecs        live streams by audio codec name ("AAC", "Opus", ...), sorted by name
 */
public record ExporterSnapshot(String version, double cpuPercent, long memoryBytes, long sendBytesTotal,
    long receiveBytesTotal, int streams, int clients, long clientsTotal, long clientsErrorsTotal,
    SortedMap<String, Integer> videoCodecs, SortedMap<String, Integer> audioCodecs) {

  public ExporterSnapshot {
    videoCodecs = Collections.unmodifiableSortedMap(new TreeMap<>(videoCodecs));
    audioCodecs = Collections.unmodifiableSortedMap(new TreeMap<>(audioCodecs));
  }

  /** A snapshot of a node with no codec known. */
  public ExporterSnapshot(String version, double cpuPercent, long memoryBytes, long sendBytesTotal,
      long receiveBytesTotal, int streams, int clients, long clientsTotal, long clientsErrorsTotal) {
    this(version, cpuPercent, memoryBytes, sendBytesTotal, receiveBytesTotal, streams, clients, clientsTotal,
        clientsErrorsTotal, new TreeMap<>(), new TreeMap<>());
  }
}
