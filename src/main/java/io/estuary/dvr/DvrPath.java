package io.estuary.dvr;

import io.estuary.stream.StreamKey;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * SRS's {@code dvr_path} variables: {@code [vhost] [app] [stream]}, {@code [timestamp]} (milliseconds since the epoch)
 * and the local time of the file's start as Go's layout digits: {@code [2006]} year, {@code [01]} month, {@code [02]}
 * day, {@code [15]} hour, {@code [04]} minute, {@code [05]} second, {@code [999]} millisecond.
 */
final class DvrPath {

  private DvrPath() {
  }

  static String resolve(String pattern, StreamKey key, long epochMillis, ZoneId zone) {
    ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
    return pattern.replace("[vhost]", key.vhost()).replace("[app]", key.app()).replace("[stream]", key.stream())
        .replace("[timestamp]", Long.toString(epochMillis))
        .replace("[2006]", String.format("%04d", t.getYear()))
        .replace("[01]", two(t.getMonthValue()))
        .replace("[02]", two(t.getDayOfMonth()))
        .replace("[15]", two(t.getHour()))
        .replace("[04]", two(t.getMinute()))
        .replace("[05]", two(t.getSecond()))
        .replace("[999]", String.format("%03d", t.getNano() / 1_000_000));
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }
}
