package io.estuary.config;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EndpointTest {

  private static void assertRefused(String expected, String endpoint) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(endpoint)).getMessage());
  }

  @Test
  void srsForms() {
    assertEquals(new Endpoint("0.0.0.0", 1935), Endpoint.parse("1935"));
    assertEquals(new Endpoint("127.0.0.1", 1936), Endpoint.parse("127.0.0.1:1936"));
    assertEquals(new Endpoint("::1", 1937), Endpoint.parse("[::1]:1937"));
    assertEquals(new Endpoint("::", 1938), Endpoint.parse("[::]:1938"));
    assertEquals(new Endpoint("localhost", 8080), Endpoint.parse("localhost:8080"));
  }

  @Test
  void printedAsWritten() {
    assertEquals("0.0.0.0:1935", Endpoint.parse("1935").toString());
    assertEquals("[::1]:1937", Endpoint.parse("[::1]:1937").toString());
  }

  @Test
  void badEndpointsSayWhy() {
    assertRefused("port 99999 in '1.2.3:99999' is out of range 1..65535", "1.2.3:99999");
    assertRefused("port 0 in '0' is out of range 1..65535", "0");
    assertRefused("'abc' is not a port, ip:port or [ipv6]:port", "abc");
    assertRefused("'::1:1935' is not a port, ip:port or [ipv6]:port", "::1:1935");
    assertRefused("'[::1]1935' is not a port, ip:port or [ipv6]:port", "[::1]1935");
    assertRefused("'300.1.1.1:1935' is not a port, ip:port or [ipv6]:port", "300.1.1.1:1935");
    assertRefused("':1935' is not a port, ip:port or [ipv6]:port", ":1935");
  }

  @Test
  void aBlocksListenIsOneEndpointANumberOrSeveral() {
    assertEquals(List.of(new Endpoint("0.0.0.0", 9972)), Endpoint.listOf("exporter: listen", null, "9972"));
    assertEquals(List.of(new Endpoint("0.0.0.0", 1985)), Endpoint.listOf("http_api: listen", 1985, "1"));
    assertEquals(List.of(new Endpoint("127.0.0.1", 1), new Endpoint("::1", 2)),
        Endpoint.listOf("listen", new JsonArray().add("127.0.0.1:1").add("[::1]:2"), "1935"));
    assertEquals("listen: port 99999 in '1.2.3:99999' is out of range 1..65535",
        assertThrows(IllegalArgumentException.class,
            () -> Endpoint.listOf("listen", new JsonArray().add("1935").add("1.2.3:99999"), "1935")).getMessage());
    assertEquals("listen: expects at least one port, ip:port or [ipv6]:port",
        assertThrows(IllegalArgumentException.class, () -> Endpoint.listOf("listen", new JsonArray(), "1935"))
            .getMessage());
  }
}
