package io.estuary.admin;

import io.estuary.testing.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exporter with the registry of a Vert.x instance built as the node builds it. */
class ExporterRegistryTest {

  @Test
  void scrapeFollowsSrsMetricsWithJvmAndVertxMetrics() throws Exception {
    Vertx vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(Exporter.metricsOptions())).build();
    try {
      PrometheusMeterRegistry registry = Exporter.registry();
      assertSame(registry, Exporter.registry());

      // A connection on a Vert.x NetServer, as an RTMP client makes one.
      NetServer server = vertx.createNetServer().connectHandler(socket -> { });
      server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      NetClient client = vertx.createNetClient();
      NetSocket socket = client.connect(server.actualPort(), "127.0.0.1").await(10, TimeUnit.SECONDS);
      socket.write("hello").await(10, TimeUnit.SECONDS);

      String text = new Exporter("cn-beijing", "cn-edge", registry)
          .render(new ExporterSnapshot("0.1.0", 1.5, 100L << 20, 10, 20, 1, 1, 1, 0));

      assertTrue(text.startsWith("# HELP srs_build_info "), text);
      assertTrue(text.contains(",label=\"cn-beijing\",tag=\"cn-edge\"} 1\n"), text);
      assertTrue(text.contains("\nsrs_streams 1\n"), text);
      assertTrue(text.contains("\njvm_memory_used_bytes{"), text);
      assertTrue(text.contains("\njvm_threads_live_threads "), text);
      assertTrue(text.contains("\nvertx_net_server_active_connections"), text);
      assertTrue(text.contains("\nvertx_net_client_active_connections"), text);
      assertTrue(text.indexOf("srs_clients_errs_total 0\n") < text.indexOf("jvm_memory_used_bytes"), text);
      PrometheusText.assertWellFormed(text);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    assertThrows(IllegalStateException.class, Exporter::registry, "the registry goes away with its Vert.x");
  }
}
