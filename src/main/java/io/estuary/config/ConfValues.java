package io.estuary.config;

import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;

/** Reading a normalized directive's value (a string, or an array when the directive was repeated). */
final class ConfValues {

  private ConfValues() {
  }

  /** The words of a directive given once or repeated, each maybe several words. */
  static List<String> words(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object v : array) {
        out.addAll(words(v));
      }
    } else if (value != null) {
      for (String word : value.toString().trim().split("\\s+")) {
        if (!word.isEmpty()) {
          out.add(word);
        }
      }
    }
    return out;
  }
}
