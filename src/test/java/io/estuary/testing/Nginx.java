package io.estuary.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's nginx with libnginx-mod-rtmp ({@code .ci/run} installs both) as an RTMP server on a loopback port, with one
 * {@code application live { live on; }}: another server's RTMP for Estuary to pull from or push to. It can be killed
 * and started again on the same port.
 */
public final class Nginx implements AutoCloseable {

  public static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

  public final int port;
  private final Path prefix;
  private Process process;

  private Nginx(int port, Path prefix) {
    this.port = port;
    this.prefix = prefix;
  }

  /** nginx-rtmp listening on {@code 127.0.0.1:port}, once it accepts connections. */
  public static Nginx start(int port) throws Exception {
    Path prefix = Files.createDirectories(Path.of("target", "nginx-" + port).toAbsolutePath());
    Files.createDirectories(prefix.resolve("logs"));
    Files.writeString(prefix.resolve("nginx.conf"), """
        load_module %s;
        worker_processes 1;
        pid %s/nginx.pid;
        error_log %s/logs/error.log warn;
        events { worker_connections 256; }
        rtmp {
            server {
                listen 127.0.0.1:%d;
                application live { live on; }
            }
        }
        """.formatted(MODULE, prefix, prefix, port));
    Nginx nginx = new Nginx(port, prefix);
    nginx.restart();
    return nginx;
  }

  /** Starts nginx again (after {@link #kill()}) on the same port, once it accepts connections. */
  public void restart() throws Exception {
    process = new ProcessBuilder("nginx", "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString(),
        "-e", prefix.resolve("logs/error.log").toString(), "-g", "daemon off;")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(prefix.resolve("nginx.out").toFile()))
        .start();
    Await.until(Duration.ofSeconds(10), () -> listening(port), () -> "nginx listens on " + port);
  }

  /** Kills the nginx processes (master and worker) at once, as a crash would, and waits until they are gone. */
  public void kill() throws InterruptedException {
    // The master first: killed after its worker, it could fork a new one in between, which would live on, orphaned.
    List<ProcessHandle> workers = process.descendants().toList();
    process.destroyForcibly();
    process.waitFor();
    workers.forEach(ProcessHandle::destroyForcibly);
    Await.until(Duration.ofSeconds(10), () -> workers.stream().noneMatch(ProcessHandle::isAlive) && !listening(port),
        () -> "nginx on " + port + " is gone: " + who(port));
  }

  /** What listens on {@code port} now, for the failure message. */
  private static String who(int port) {
    try {
      Process ss = new ProcessBuilder("ss", "-ltnpa", "sport = :" + port).redirectErrorStream(true).start();
      return new String(ss.getInputStream().readAllBytes());
    } catch (IOException e) {
      return e.toString();
    }
  }

  public String rtmp(String path) {
    return "rtmp://127.0.0.1:" + port + "/" + path;
  }

  private static boolean listening(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      process.waitFor();
    }
  }
}
