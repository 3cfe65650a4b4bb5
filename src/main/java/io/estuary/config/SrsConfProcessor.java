package io.estuary.config;

import io.vertx.config.spi.ConfigProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The vertx-config format {@code "srs"}: reads an SRS {@code .conf} into {@link SrsConf}'s JSON.
 *
 * <pre>
 * new ConfigStoreOptions().setType("file").setFormat("srs")
 *     .setConfig(new JsonObject().put("path", "conf/srs.conf"))
 * </pre>
 *
 * The store's {@code path} names the file in errors and is where includes resolve from. Environment
 * overrides come from {@link System#getenv()}. A bad file fails the future with a {@link ConfException}.
 */
public final class SrsConfProcessor implements ConfigProcessor {

  public static final String FORMAT = "srs";

  @Override
  public String name() {
    return FORMAT;
  }

  @Override
  public Future<JsonObject> process(Vertx vertx, JsonObject configuration, Buffer input) {
    String path = configuration == null ? null : configuration.getString("path");
    String fileName = path == null ? "<" + FORMAT + ">" : path;
    Path baseDir = path == null ? Path.of("") : ConfParser.baseDirOf(Path.of(path));
    String text = input.toString(StandardCharsets.UTF_8);
    // Includes read files: keep that off the event loop.
    return vertx.executeBlocking(() -> SrsConf.parse(text, fileName, baseDir, System.getenv()), false);
  }
}
