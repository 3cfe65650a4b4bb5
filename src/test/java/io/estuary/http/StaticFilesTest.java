package io.estuary.http;

import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files under http_server.dir are served; nothing outside it ever is, however the path is spelled. */
class StaticFilesTest {

  static TestNode node;
  static Path www;

  @BeforeAll
  static void start() throws Exception {
    www = Files.createTempDirectory("estuary-www");
    Files.writeString(www.resolve("index.html"), "<h1>estuary</h1>");
    Files.writeString(www.getParent().resolve("estuary-secret.txt"), "secret");
    node = TestNode.start(new JsonObject().put("http_server", new JsonObject().put("enabled", true).put("dir", www.toString())));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void filesUnderDirAreServed() throws Exception {
    String response = rawGet("/index.html");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    assertTrue(response.contains("<h1>estuary</h1>"), response);
  }

  @Test
  void nothingOutsideDirIsEverServed() throws Exception {
    for (String path : List.of("/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/..\\..\\..\\etc\\passwd",
        "/%252e%252e/%252e%252e/etc/passwd", "/....//....//etc/passwd", "/../estuary-secret.txt",
        "/%2e%2e/estuary-secret.txt", "//etc/passwd", "/index.html/../../estuary-secret.txt")) {
      String response = rawGet(path);
      assertFalse(response.contains("root:"), path + " served /etc/passwd:\n" + response);
      assertFalse(response.contains("secret"), path + " served a file outside dir:\n" + response);
      assertFalse(response.startsWith("HTTP/1.1 200") && !response.contains("estuary"), path + ": " + response);
    }
  }

  /** A request with the path exactly as given: no client-side normalisation. */
  private static String rawGet(String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", node.httpPort)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) > 0; ) {
        response.write(buf, 0, n);
      }
      return response.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
