package io.estuary.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code engine NAME { }} of a {@code transcode} or {@code ingest} block, with SRS's defaults: what ffmpeg encodes
 * (or copies) and where it publishes. Bitrates in kbps, as SRS writes them. {@code vfilter}, {@code vparams} and
 * {@code aparams} are already ffmpeg arguments ({@code t 100;} is {@code -t 100}), in the file's order.
 * {@code vwidth}/{@code vheight} are made even, as SRS does. Numbers are 0 when unset (ffmpeg then chooses).
 */
public record FfmpegEngine(String name, boolean enabled, String iformat, List<String> vfilter, String vcodec,
                           int vbitrate, double vfps, int vwidth, int vheight, int vthreads, String vprofile,
                           String vpreset, List<String> vparams, String acodec, int abitrate, int asampleRate,
                           int achannels, List<String> aparams, String oformat, String output) {

  /** Neither encode nor drop: pass the track through. */
  public static final String COPY = "copy";
  /** No video in the output. */
  public static final String NO_VIDEO = "vn";
  /** No audio in the output. */
  public static final String NO_AUDIO = "an";

  public FfmpegEngine {
    vfilter = List.copyOf(vfilter);
    vparams = List.copyOf(vparams);
    aparams = List.copyOf(aparams);
  }

  /**
   * Reads {@code engine} (as the parser keeps it: {@code _args} holds the name). Fails with an IllegalArgumentException
   * naming the directive when a value cannot be used; an engine that is off is not checked further, as SRS ignores it.
   */
  public static FfmpegEngine fromJson(JsonObject engine) {
    JsonObject e = engine == null ? new JsonObject() : engine;
    String name = firstArg(e);
    String where = name.isEmpty() ? "engine" : "engine " + name;
    try {
      FfmpegEngine read = new FfmpegEngine(name,
          bool(e.getValue("enabled"), false),
          text(e.getValue("iformat"), "flv"),
          params(e.getValue("vfilter")),
          text(e.getValue("vcodec"), ""),
          count(e, "vbitrate"),
          number(e, "vfps"),
          even(count(e, "vwidth")),
          even(count(e, "vheight")),
          count(e, "vthreads"),
          text(e.getValue("vprofile"), ""),
          text(e.getValue("vpreset"), ""),
          params(e.getValue("vparams")),
          text(e.getValue("acodec"), ""),
          count(e, "abitrate"),
          count(e, "asample_rate"),
          count(e, "achannels"),
          params(e.getValue("aparams")),
          text(e.getValue("oformat"), "flv"),
          text(e.getValue("output"), ""));
      if (read.enabled) {
        read.check();
      }
      return read;
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
    }
  }

  /** A copy of both tracks to {@code output}: an ingest whose engine is off (SRS: "whatever the engine, copy"). */
  public static FfmpegEngine copy(String name, String output) {
    return new FfmpegEngine(name, true, "", List.of(), COPY, 0, 0, 0, 0, 0, "", "", List.of(), COPY, 0, 0, 0,
        List.of(), "flv", output);
  }

  /** This engine, on or off. */
  public FfmpegEngine enabled(boolean on) {
    return new FfmpegEngine(name, on, iformat, vfilter, vcodec, vbitrate, vfps, vwidth, vheight, vthreads, vprofile,
        vpreset, vparams, acodec, abitrate, asampleRate, achannels, aparams, oformat, output);
  }

  /** Whether ffmpeg encodes video (not copy, not vn): only then do the video settings apply. */
  public boolean encodesVideo() {
    return !vcodec.equals(COPY) && !vcodec.equals(NO_VIDEO);
  }

  /** Whether ffmpeg encodes audio (not copy, not an): only then do the audio settings apply. */
  public boolean encodesAudio() {
    return !acodec.equals(COPY) && !acodec.equals(NO_AUDIO);
  }

  private void check() {
    if (output.isEmpty()) {
      throw new IllegalArgumentException("output is required");
    }
    if (vcodec.equals(NO_VIDEO) && acodec.equals(NO_AUDIO)) {
      throw new IllegalArgumentException("vcodec vn and acodec an leave nothing to output");
    }
    if (encodesAudio() && achannels > 2) {
      throw new IllegalArgumentException("achannels " + achannels + " is not 1 or 2");
    }
  }

  static String firstArg(JsonObject block) {
    JsonArray args = block.getJsonArray(SrsConf.ARGS);
    return args == null || args.isEmpty() ? "" : String.valueOf(args.getValue(0));
  }

  /** A value the parser kept as written, back to SRS's text: on/off, numbers as written, several words joined. */
  static String text(Object value, String fallback) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b ? "on" : "off";
    }
    if (value instanceof JsonArray a) {
      List<String> words = new ArrayList<>();
      a.forEach(w -> words.add(text(w, "")));
      return String.join(" ", words);
    }
    if (value instanceof JsonObject) {
      throw new IllegalArgumentException("expects a value, not a block");
    }
    return String.valueOf(value);
  }

  static boolean bool(Object value, boolean fallback) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException("'" + text(value, "") + "' is not on|off");
  }

  private static int count(JsonObject e, String key) {
    Object v = e.getValue(key);
    if (v == null) {
      return 0;
    }
    if (v instanceof Integer n && n >= 0) {
      return n;
    }
    throw new IllegalArgumentException(key + ": '" + text(v, "") + "' is not a whole number >= 0");
  }

  private static double number(JsonObject e, String key) {
    Object v = e.getValue(key);
    if (v == null) {
      return 0;
    }
    if (v instanceof Number n && n.doubleValue() >= 0) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(key + ": '" + text(v, "") + "' is not a number >= 0");
  }

  private static int even(int n) {
    return n - n % 2;
  }

  /** {@code vparams { t 100; coder 1; }} as ffmpeg arguments: {@code -t 100 -coder 1}; a repeated name repeats. */
  static List<String> params(Object block) {
    List<String> out = new ArrayList<>();
    if (block == null) {
      return out;
    }
    if (!(block instanceof JsonObject params)) {
      throw new IllegalArgumentException("expects a block { ... }, got '" + text(block, "") + "'");
    }
    for (String name : params.fieldNames()) {
      if (name.equals(SrsConf.ARGS)) {
        continue;
      }
      Object value = params.getValue(name);
      // A name written twice is kept as an array of its values; several words of one directive also are an array.
      List<Object> each = new ArrayList<>();
      if (value instanceof JsonArray a && !a.isEmpty() && a.stream().allMatch(x -> x instanceof JsonArray)) {
        a.forEach(each::add);
      } else {
        each.add(value);
      }
      for (Object one : each) {
        out.add("-" + name);
        if (one instanceof JsonArray words) {
          words.forEach(w -> out.add(text(w, "")));
        } else if (one != null) {
          out.add(text(one, ""));
        }
      }
    }
    return out;
  }
}
