package io.estuary.dvr;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A hook service for the DVR tests: keeps every on_dvr body it receives and answers SRS's "0". */
final class DvrHooks implements AutoCloseable {

  final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  DvrHooks() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hooks", exchange -> {
      JsonObject body = new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      received.add(body);
      byte[] answer = "0".getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
  }

  List<JsonObject> onDvr() {
    return received.stream().filter(b -> "on_dvr".equals(b.getString("action"))).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
