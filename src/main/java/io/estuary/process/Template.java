package io.estuary.process;

import java.time.ZonedDateTime;
import java.util.Map;

/**
 * SRS's variables in a command or output URL: {@code [vhost] [port] [app] [stream] [engine] [tcUrl] [swfUrl]
 * [pageUrl] [url]} from the publish, and the date ones of its {@code dvr_path}: {@code [2006]} year, {@code [01]}
 * month, {@code [02]} day, {@code [15]} hour, {@code [04]} minute, {@code [05]} second, {@code [999]} millisecond,
 * {@code [timestamp]} milliseconds since the epoch, all in local time.
 */
final class Template {

  private Template() {
  }

  static String apply(String template, Map<String, String> vars, ZonedDateTime now) {
    if (template.indexOf('[') < 0) {
      return template;
    }
    String out = template;
    for (Map.Entry<String, String> v : vars.entrySet()) {
      out = out.replace("[" + v.getKey() + "]", v.getValue() == null ? "" : v.getValue());
    }
    return out.replace("[2006]", String.format("%04d", now.getYear()))
        .replace("[01]", two(now.getMonthValue()))
        .replace("[02]", two(now.getDayOfMonth()))
        .replace("[15]", two(now.getHour()))
        .replace("[04]", two(now.getMinute()))
        .replace("[05]", two(now.getSecond()))
        .replace("[999]", String.format("%03d", now.getNano() / 1_000_000))
        .replace("[timestamp]", Long.toString(now.toInstant().toEpochMilli()));
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }
}
