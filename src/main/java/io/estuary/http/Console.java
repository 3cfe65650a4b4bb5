package io.estuary.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

import java.nio.file.Path;

/**
 * The web console at {@code /console/} (SRS serves its console from the HTTP server too): plain HTML, CSS and JS from
 * the jar, which read only the public HTTP API, and the player libraries the build fetched with npm ({@code vendor/},
 * absent when the build machine had no npm). {@code /console/settings.json} tells the pages where this node's API is;
 * {@code /} links to the console when {@code dir} has no {@code index.html} of its own.
 */
public final class Console {

  public static final String PATH = "/console/";
  static final String WEBROOT = "io/estuary/http/console";

  private Console() {
  }

  /**
   * Adds the console's routes to {@code router}, before the live streams and files. {@code apiPort}: the port of this
   * node's HTTP API, 0 when it is off; {@code apiHere}: the API answers on this very endpoint (paths under /api/).
   */
  public static Router mount(Router router, Path root, String version, int apiPort, boolean apiHere) {
    JsonObject settings = new JsonObject().put("version", version)
        .put("api", apiPort == 0 ? null : new JsonObject().put("port", apiPort).put("same_origin", apiHere));
    String index = root.resolve("index.html").toString();
    // dir's own index.html, looked up off the event loop (Vert.x's file system), wins over the link
    router.get("/").handler(rc -> rc.vertx().fileSystem().props(index).onComplete(props -> {
      if (props.succeeded() && props.result().isRegularFile()) {
        rc.next();
        return;
      }
      rc.response().putHeader("Content-Type", "text/html; charset=utf-8").end("""
          <!doctype html><html><head><meta charset="utf-8"><title>Estuary</title></head><body>
          <p>Estuary %s. <a href="%s">Console</a></p></body></html>
          """.formatted(version, PATH));
    }));
    router.get("/console").handler(rc -> { // the route matches "/console/" too
      if (rc.request().path().endsWith("/")) {
        rc.next();
      } else {
        rc.redirect(PATH);
      }
    });
    router.get(PATH + "settings.json").handler(rc -> rc.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(settings.encode()));
    // a relative web root is read from the class path: the jar
    router.route(PATH + "*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(StaticHandler.create(FileSystemAccess.RELATIVE, WEBROOT).setDirectoryListing(false)
            .setIndexPage("index.html").setCachingEnabled(false));
    return router;
  }
}
