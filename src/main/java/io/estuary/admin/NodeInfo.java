package io.estuary.admin;

import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Who this node is, and its process and system figures, as SRS's API reports them (summaries, exporter).
 * Linux figures come from /proc; elsewhere they are 0.
 */
public final class NodeInfo {

  private final String serverId;
  private final String serviceId;
  private final String version;
  private final long startedAt = System.currentTimeMillis();
  private final long pid = ProcessHandle.current().pid();

  public NodeInfo(String serverId, String serviceId, String version) {
    this.serverId = serverId;
    this.serviceId = serviceId;
    this.version = version;
  }

  public String serverId() {
    return serverId;
  }

  public String serviceId() {
    return serviceId;
  }

  public String version() {
    return version;
  }

  public long pid() {
    return pid;
  }

  /** SRS's envelope: code 0, server, service, pid. */
  public JsonObject envelope(int code) {
    return new JsonObject().put("code", code).put("server", serverId).put("service", serviceId)
        .put("pid", String.valueOf(pid));
  }

  /** Resident memory of this process in KiB (VmRSS). */
  public long memoryKbyte() {
    for (String line : lines("/proc/self/status")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return Runtime.getRuntime().totalMemory() / 1024;
  }

  /** This process's CPU use, percent of one core (as SRS). */
  public double cpuPercent() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      double load = os.getProcessCpuLoad();
      return load < 0 ? 0 : load * 100 * Runtime.getRuntime().availableProcessors();
    }
    return 0;
  }

  public JsonObject summaries(long recvBytes, long sendBytes, int connections) {
    long totalKbyte = 0;
    for (String line : lines("/proc/meminfo")) {
      if (line.startsWith("MemTotal:")) {
        totalKbyte = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    long mem = memoryKbyte();
    String[] load = first(lines("/proc/loadavg"), "0 0 0").split("\\s+");
    String[] uptime = first(lines("/proc/uptime"), "0").split("\\s+");
    double systemCpu = 0;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      systemCpu = Math.max(0, os.getCpuLoad()) * 100;
    }
    int cpus = Runtime.getRuntime().availableProcessors();
    JsonObject self = new JsonObject()
        .put("version", version)
        .put("pid", pid)
        .put("ppid", ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L))
        .put("argv", String.join(" ", ProcessHandle.current().info().arguments().map(List::of).orElse(List.of())))
        .put("cwd", Path.of("").toAbsolutePath().toString())
        .put("mem_kbyte", mem)
        .put("mem_percent", totalKbyte == 0 ? 0 : mem * 100.0 / totalKbyte)
        .put("cpu_percent", cpuPercent())
        .put("srs_uptime", (System.currentTimeMillis() - startedAt) / 1000);
    JsonObject system = new JsonObject()
        .put("cpu_percent", systemCpu)
        .put("mem_ram_kbyte", totalKbyte)
        .put("mem_ram_percent", ramPercent())
        .put("cpus", cpus)
        .put("cpus_online", cpus)
        .put("uptime", Double.parseDouble(uptime[0]))
        .put("load_1m", Double.parseDouble(load[0]))
        .put("load_5m", Double.parseDouble(load[1]))
        .put("load_15m", Double.parseDouble(load[2]))
        .put("srs_recv_bytes", recvBytes)
        .put("srs_send_bytes", sendBytes)
        .put("conn_srs", connections);
    return new JsonObject().put("ok", true).put("now_ms", System.currentTimeMillis()).put("self", self).put("system", system);
  }

  private static double ramPercent() {
    long total = 0;
    long available = 0;
    for (String line : lines("/proc/meminfo")) {
      if (line.startsWith("MemTotal:")) {
        total = Long.parseLong(line.replaceAll("[^0-9]", ""));
      } else if (line.startsWith("MemAvailable:")) {
        available = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return total == 0 ? 0 : (total - available) * 100.0 / total;
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (Exception e) {
      return List.of();
    }
  }

  private static String first(List<String> lines, String fallback) {
    return lines.isEmpty() ? fallback : lines.get(0);
  }
}
