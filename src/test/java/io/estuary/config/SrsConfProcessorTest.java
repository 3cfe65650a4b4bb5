package io.estuary.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SrsConfProcessorTest {

  private static ConfigRetriever retriever(Vertx vertx, String path) {
    return ConfigRetriever.create(vertx, new ConfigRetrieverOptions().addStore(new ConfigStoreOptions()
        .setType("file").setFormat("srs").setConfig(new JsonObject().put("path", path))));
  }

  @Test
  void readsTheShippedConfig(Vertx vertx, VertxTestContext ctx) {
    ConfigRetriever retriever = retriever(vertx, "conf/srs.conf");
    retriever.getConfig().onComplete(ctx.succeeding(config -> ctx.verify(() -> {
      // The retriever's JSON is SrsConf's (System.getenv() may override, as it does for SrsConf).
      assertEquals(SrsConf.load(Path.of("conf/srs.conf"), System.getenv()), config);
      assertEquals(true, config.getJsonObject("http_api").getBoolean("enabled"));
      assertEquals("[vhost]/[app]/[stream].flv", config.getJsonObject("vhosts")
          .getJsonObject("__defaultVhost__").getJsonObject("http_remux").getString("mount"));
      retriever.close();
      ctx.completeNow();
    })));
  }

  @Test
  void includesResolveFromTheStorePath(Vertx vertx, VertxTestContext ctx) {
    ConfigRetriever retriever = retriever(vertx, "src/test/resources/conf/include/main.conf");
    retriever.getConfig().onComplete(ctx.succeeding(config -> ctx.verify(() -> {
      assertEquals(new JsonObject().put("gop_cache", false).put("mw_latency", 100),
          config.getJsonObject("vhosts").getJsonObject("__defaultVhost__").getJsonObject("play"));
      assertEquals(new JsonArray().add("1935"), config.getJsonArray("listen"));
      retriever.close();
      ctx.completeNow();
    })));
  }

  @Test
  void aBadFileFailsWithItsLine(Vertx vertx, VertxTestContext ctx) {
    ConfigRetriever retriever = retriever(vertx, "src/test/resources/conf/include/missing.conf");
    retriever.getConfig().onComplete(ctx.failing(err -> ctx.verify(() -> {
      ConfException e = assertInstanceOf(ConfException.class, err);
      assertEquals("src/test/resources/conf/include/missing.conf", e.file());
      assertEquals(3, e.line());
      assertEquals("include 'sub/nope.conf': file not found", e.reason());
      retriever.close();
      ctx.completeNow();
    })));
  }

  @Test
  void isFoundByItsName() {
    assertEquals("srs", new SrsConfProcessor().name());
  }
}
