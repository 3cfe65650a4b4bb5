package io.estuary.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code ingest NAME { }} of a vhost: ffmpeg pulls {@code input} ({@code type file}, read in real time with
 * {@code -re}, or {@code type stream}, read as it comes) and publishes it through each engine: one ffmpeg per engine,
 * copying when the engine is off or names no codecs, as SRS does.
 */
public record IngestOptions(String name, boolean enabled, InputType inputType, String inputUrl, String ffmpeg,
                            List<FfmpegEngine> engines) {

  /** SRS's {@code input { type }}. */
  public enum InputType {
    FILE, STREAM;

    static InputType parse(String type) {
      return switch (type) {
        case "file" -> FILE;
        case "stream" -> STREAM;
        default -> throw new IllegalArgumentException("input.type '" + type + "' is not file|stream");
      };
    }
  }

  public IngestOptions {
    engines = List.copyOf(engines);
  }

  /** The ffmpeg commands this ingest runs: one per engine, an engine that is off (or names no codec) copies. */
  public List<FfmpegEngine> effectiveEngines() {
    List<FfmpegEngine> out = new ArrayList<>();
    for (FfmpegEngine e : engines) {
      boolean copy = !e.enabled() || e.vcodec().isEmpty() || e.acodec().isEmpty();
      out.add(copy ? FfmpegEngine.copy(e.name(), e.output()) : e);
    }
    return out;
  }

  /** Every {@code ingest} of a vhost (one block, or several as the parser keeps repeats). */
  public static List<IngestOptions> listFromJson(Object ingest) {
    List<IngestOptions> list = new ArrayList<>();
    for (JsonObject block : blocks(ingest, "ingest")) {
      list.add(fromJson(block));
    }
    return List.copyOf(list);
  }

  /** Fails with an IllegalArgumentException naming the ingest and directive when an enabled ingest cannot run. */
  public static IngestOptions fromJson(JsonObject ingest) {
    String name = FfmpegEngine.firstArg(ingest);
    try {
      boolean enabled = FfmpegEngine.bool(ingest.getValue("enabled"), false);
      Object inputValue = ingest.getValue("input");
      if (inputValue != null && !(inputValue instanceof JsonObject)) {
        throw new IllegalArgumentException("input expects a block { type; url; }");
      }
      JsonObject input = inputValue == null ? new JsonObject() : (JsonObject) inputValue;
      String type = FfmpegEngine.text(input.getValue("type"), "");
      String url = FfmpegEngine.text(input.getValue("url"), "");
      String ffmpeg = FfmpegEngine.text(ingest.getValue("ffmpeg"), "");
      List<FfmpegEngine> engines = new ArrayList<>();
      for (JsonObject engine : blocks(ingest.getValue("engine"), "engine")) {
        // An ingest's engine that is off still says where to publish: checked as if on, then it copies.
        boolean on = FfmpegEngine.bool(engine.getValue("enabled"), false);
        engines.add(FfmpegEngine.fromJson(engine.copy().put("enabled", true)).enabled(on));
      }
      InputType inputType = type.isEmpty() && !enabled ? InputType.FILE : InputType.parse(type);
      if (enabled) {
        if (url.isEmpty()) {
          throw new IllegalArgumentException("input.url is required");
        }
        if (ffmpeg.isEmpty()) {
          throw new IllegalArgumentException("ffmpeg is required");
        }
        if (engines.isEmpty()) {
          throw new IllegalArgumentException("an engine { output ...; } is required");
        }
      }
      return new IngestOptions(name, enabled, inputType, url, ffmpeg, engines);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ingest " + name + ": " + e.getMessage(), e);
    }
  }

  /** A block as the parser keeps it: one object, or an array of them when the name repeats. */
  static List<JsonObject> blocks(Object value, String directive) {
    List<JsonObject> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (value instanceof JsonObject o) {
      out.add(o);
    } else if (value instanceof JsonArray a) {
      for (Object o : a) {
        if (!(o instanceof JsonObject block)) {
          throw new IllegalArgumentException(directive + " expects a block { ... }");
        }
        out.add(block);
      }
    } else {
      throw new IllegalArgumentException(directive + " expects a block { ... }");
    }
    return out;
  }
}
