package io.estuary.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code estuary bench} runs: the server URL players play (RTMP or HTTP-FLV), how many players and publishers,
 * the FLV file publishers loop, the ramp-up rate, the duration and its warm-up, the server processes whose CPU to read,
 * where the JSON summary goes, event loop threads.
 * Mutable, with fluent setters, as Vert.x options are; {@link #parse} reads the command line.
 */
public final class BenchOptions {

  public static final int DEFAULT_PLAYERS = 1;
  public static final int DEFAULT_PUBLISHERS = 1;
  public static final double DEFAULT_RAMP = 100;
  public static final int DEFAULT_DURATION = 30;
  public static final int DEFAULT_STALL_SECONDS = 3;

  private String url;
  private String publishUrl;
  private int players = DEFAULT_PLAYERS;
  private int publishers = DEFAULT_PUBLISHERS;
  private Path file;
  private double ramp = DEFAULT_RAMP;
  private double duration = DEFAULT_DURATION;
  private double warmup;
  private List<Long> serverPids = List.of();
  private Path json;
  private boolean jsonPlayers;
  private int threads = Runtime.getRuntime().availableProcessors();
  private double stallSeconds = DEFAULT_STALL_SECONDS;
  private boolean quiet;

  public static final String USAGE = """
      usage: estuary bench --url URL [options]

        --url URL           what players play: rtmp[s]://host[:port]/app/stream or http://host:port/app/stream.flv
        --players N         players (default 1), spread over the publishers' streams
        --publishers M      RTMP publishers looping --file in real time (default 1; 0 = play an existing stream).
                            With M > 1 the streams are named stream-0 .. stream-(M-1), for players and publishers.
        --publish-url URL   where publishers publish (default: --url; for an http:// --url,
                            rtmp://host:1935/app/stream)
        --file FILE         the FLV file publishers loop (required when M > 0)
        --ramp R            new player connections per second (default 100)
        --duration S        seconds to run, ramp-up included (default 30)
        --warmup S          the first S of those seconds are warm-up (default 0): latency, kbps, bytes and server
                            CPU are also reported for the window after it; whole-run figures are kept
        --server-pid P[,P]  server processes (nginx: master and workers) whose CPU (utime+stime from
                            /proc/P/stat) is reported per GB delivered, for the window and the whole run
        --json FILE         write the final summary as JSON to FILE ('-' = stdout)
        --json-players      include one entry per player in the JSON
        --threads T         event loop threads for all clients (default: the number of CPUs)
        --stall S           a player with no media for more than S seconds is stalled (default 3)
        --quiet             no progress lines, only the summary
        --help              this text

      Latency (publish -> play) is measured only when this bench publishes, on H.264/H.265 video: see the README.
      """;

  /** Thrown for a bad command line; the message says what is wrong. */
  public static final class UsageException extends Exception {
    public UsageException(String message) {
      super(message);
    }
  }

  /** Reads the command line. Returns null for {@code --help}. */
  public static BenchOptions parse(String[] args) throws UsageException {
    BenchOptions o = new BenchOptions();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "-h", "--help" -> {
          return null;
        }
        case "--json-players" -> o.jsonPlayers = true;
        case "--quiet", "-q" -> o.quiet = true;
        case "--url", "--publish-url", "--players", "--publishers", "--file", "--ramp", "--duration", "--warmup",
            "--server-pid", "--json", "--threads", "--stall" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new UsageException(name + " needs a value");
            }
            value = args[++i];
          }
          o.set(name, value);
        }
        default -> throw new UsageException("unknown option " + arg);
      }
    }
    o.validate();
    return o;
  }

  private void set(String name, String value) throws UsageException {
    switch (name) {
      case "--url" -> url = value;
      case "--publish-url" -> publishUrl = value;
      case "--players" -> players = (int) number(name, value, 0, 1_000_000);
      case "--publishers" -> publishers = (int) number(name, value, 0, 65_535);
      case "--file" -> file = Path.of(value);
      case "--ramp" -> ramp = number(name, value, 0.001, 1_000_000);
      case "--duration" -> duration = number(name, value, 0.1, 365 * 86400);
      case "--warmup" -> warmup = number(name, value, 0, 365 * 86400);
      case "--server-pid" -> serverPids = pids(name, value);
      case "--json" -> json = Path.of(value);
      case "--threads" -> threads = (int) number(name, value, 1, 1024);
      case "--stall" -> stallSeconds = number(name, value, 0.1, 3600);
      default -> throw new IllegalStateException(name);
    }
  }

  private static double number(String name, String value, double min, double max) throws UsageException {
    double d;
    try {
      d = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new UsageException(name + " needs a number: " + value);
    }
    if (!(d >= min && d <= max)) {
      throw new UsageException(name + " must be in [" + min + ", " + max + "]: " + value);
    }
    return d;
  }

  /** A comma-separated list of process ids. */
  private static List<Long> pids(String name, String value) throws UsageException {
    List<Long> pids = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      long pid;
      try {
        pid = Long.parseLong(part.trim());
      } catch (NumberFormatException e) {
        throw new UsageException(name + " needs process ids separated by commas: " + value);
      }
      if (pid < 1 || pid > Integer.MAX_VALUE) {
        throw new UsageException(name + ": not a process id: " + part.trim());
      }
      if (!pids.contains(pid)) {
        pids.add(pid);
      }
    }
    return List.copyOf(pids);
  }

  /** Checks the options together. */
  public BenchOptions validate() throws UsageException {
    if (url == null) {
      throw new UsageException("--url is required");
    }
    Target play = target(url);
    if (publishers > 0) {
      if (file == null) {
        throw new UsageException("--file is required to publish (or --publishers 0)");
      }
      if (target(publishUrl()).http()) {
        throw new UsageException("publishers publish over RTMP: --publish-url must be rtmp:// or rtmps://");
      }
    }
    if (warmup >= duration) {
      throw new UsageException("--warmup (" + warmup + " s) must be shorter than --duration (" + duration
          + " s): the measurement window would be empty");
    }
    if (players == 0 && publishers == 0) {
      throw new UsageException("nothing to do: --players and --publishers are both 0");
    }
    if (play.http() && !play.stream().endsWith(".flv")) {
      throw new UsageException("an HTTP player URL must name an .flv stream: " + url);
    }
    return this;
  }

  /** A parsed URL: scheme, host, port, app and stream (with any query kept on the stream, as SRS reads it). */
  public record Target(boolean http, boolean tls, String host, int port, String app, String stream, String query) {

    /** The URL for stream {@code index} of {@code count}: the stream name suffixed {@code -index} when count > 1. */
    public Target forStream(int index, int count) {
      if (count <= 1) {
        return this;
      }
      String ext = http && stream.endsWith(".flv") ? ".flv" : "";
      String base = stream.substring(0, stream.length() - ext.length());
      return new Target(http, tls, host, port, app, base + "-" + index + ext, query);
    }

    /** The stream name with its query, as sent in play/publish. */
    public String streamWithQuery() {
      return query == null ? stream : stream + "?" + query;
    }

    public String tcUrl() {
      return (tls ? "rtmps://" : "rtmp://") + host + ":" + port + "/" + app;
    }

    /** The HTTP request path. */
    public String path() {
      return "/" + app + "/" + streamWithQuery();
    }

    @Override
    public String toString() {
      return (http ? "http://" : tls ? "rtmps://" : "rtmp://") + host + ":" + port + path();
    }
  }

  public static Target target(String url) throws UsageException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new UsageException("bad URL " + url + ": " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    boolean http = scheme.equals("http");
    boolean tls = scheme.equals("rtmps");
    if (!http && !tls && !scheme.equals("rtmp")) {
      throw new UsageException("the URL must be rtmp://, rtmps:// or http:// (HTTP-FLV): " + url);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    int slash = path.lastIndexOf('/');
    if (uri.getHost() == null || slash <= 0 || slash == path.length() - 1) {
      throw new UsageException("the URL must be scheme://host[:port]/app/stream: " + url);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : http ? 80 : tls ? 443 : 1935;
    return new Target(http, tls, uri.getHost(), port, path.substring(1, slash), path.substring(slash + 1), uri.getRawQuery());
  }

  /** The RTMP URL publishers publish to. */
  public String publishUrl() throws UsageException {
    if (publishUrl != null) {
      return publishUrl;
    }
    Target t = target(url);
    if (!t.http()) {
      return url;
    }
    String stream = t.stream().substring(0, t.stream().length() - ".flv".length());
    return "rtmp://" + t.host() + ":1935/" + t.app() + "/" + stream + (t.query() == null ? "" : "?" + t.query());
  }

  public static void usage(PrintStream out) {
    out.print(USAGE);
  }

  public String url() { return url; }
  public BenchOptions url(String url) { this.url = url; return this; }
  public BenchOptions publishUrl(String publishUrl) { this.publishUrl = publishUrl; return this; }
  public int players() { return players; }
  public BenchOptions players(int players) { this.players = players; return this; }
  public int publishers() { return publishers; }
  public BenchOptions publishers(int publishers) { this.publishers = publishers; return this; }
  public Path file() { return file; }
  public BenchOptions file(Path file) { this.file = file; return this; }
  public double ramp() { return ramp; }
  public BenchOptions ramp(double ramp) { this.ramp = ramp; return this; }
  public double duration() { return duration; }
  public BenchOptions duration(double duration) { this.duration = duration; return this; }
  public double warmup() { return warmup; }
  public BenchOptions warmup(double warmup) { this.warmup = warmup; return this; }
  public List<Long> serverPids() { return serverPids; }
  public BenchOptions serverPids(List<Long> serverPids) { this.serverPids = List.copyOf(serverPids); return this; }
  public Path json() { return json; }
  public BenchOptions json(Path json) { this.json = json; return this; }
  public boolean jsonPlayers() { return jsonPlayers; }
  public BenchOptions jsonPlayers(boolean jsonPlayers) { this.jsonPlayers = jsonPlayers; return this; }
  public int threads() { return threads; }
  public BenchOptions threads(int threads) { this.threads = threads; return this; }
  public double stallSeconds() { return stallSeconds; }
  public BenchOptions stallSeconds(double stallSeconds) { this.stallSeconds = stallSeconds; return this; }
  public boolean quiet() { return quiet; }
  public BenchOptions quiet(boolean quiet) { this.quiet = quiet; return this; }
}
