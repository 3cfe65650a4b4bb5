package io.estuary.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A vhost's {@code exec { enabled; publish CMD ARGS; }} (nginx-rtmp's exec_publish, as SRS runs it): each
 * {@code publish} command runs while a stream of the vhost is published, its words as written (variables such as
 * {@code [stream]} are replaced per publish).
 */
public record ExecOptions(boolean enabled, List<List<String>> publish) {

  public ExecOptions {
    publish = publish.stream().map(List::copyOf).toList();
  }

  /** The commands that run on a publish: none when exec is off. */
  public List<List<String>> activePublish() {
    return enabled ? publish : List.of();
  }

  public static ExecOptions fromJson(JsonObject exec) {
    JsonObject e = exec == null ? new JsonObject() : exec;
    List<List<String>> commands = new ArrayList<>();
    Object publish = e.getValue("publish");
    // The schema keeps each publish as an array of its words; a repeated publish is an array of those.
    if (publish instanceof JsonArray all && !all.isEmpty()) {
      if (all.getValue(0) instanceof JsonArray) {
        for (Object one : all) {
          commands.add(words((JsonArray) one));
        }
      } else {
        commands.add(words(all));
      }
    } else if (publish != null && !(publish instanceof JsonArray)) {
      commands.add(List.of(FfmpegEngine.text(publish, "")));
    }
    try {
      return new ExecOptions(FfmpegEngine.bool(e.getValue("enabled"), false), commands);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("exec: enabled " + ex.getMessage(), ex);
    }
  }

  private static List<String> words(JsonArray words) {
    List<String> out = new ArrayList<>();
    words.forEach(w -> out.add(FfmpegEngine.text(w, "")));
    return out;
  }
}
