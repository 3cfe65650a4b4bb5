package io.estuary.dvr;

import io.estuary.stream.StreamKey;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SRS's dvr_path variables. */
class DvrPathTest {

  private static final StreamKey KEY = new StreamKey("v.example", "live", "cam1");
  private static final ZoneId UTC = ZoneId.of("UTC");

  @Test
  void streamVariablesAndTimestamp() {
    assertEquals("./objs/nginx/html/live/cam1.1420254068776.flv",
        DvrPath.resolve("./objs/nginx/html/[app]/[stream].[timestamp].flv", KEY, 1420254068776L, UTC));
    assertEquals("/rec/v.example/live/cam1.mp4", DvrPath.resolve("/rec/[vhost]/[app]/[stream].mp4", KEY, 0, UTC));
  }

  @Test
  void localTimeInGosLayoutDigits() {
    long t = ZonedDateTime.of(2026, 3, 4, 5, 6, 7, 89_000_000, UTC).toInstant().toEpochMilli();
    // SRS's dvr.path.conf
    assertEquals("./objs/nginx/html/live/cam1/2026/03/04/05.06.07.089.flv",
        DvrPath.resolve("./objs/nginx/html/[app]/[stream]/[2006]/[01]/[02]/[15].[04].[05].[999].flv", KEY, t, UTC));
    assertEquals("live-2026-03-04T15", DvrPath.resolve("[app]-[2006]-[01]-[02]T[15]", KEY,
        ZonedDateTime.of(2026, 3, 4, 15, 0, 0, 0, UTC).toInstant().toEpochMilli(), UTC));
  }
}
