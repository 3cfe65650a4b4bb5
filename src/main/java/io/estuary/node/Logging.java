package io.estuary.node;

import io.estuary.config.NodeConfig;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * SRS's log settings on java.util.logging (which Vert.x and Netty log through as well):
 * {@code srs_log_tank console|file}, {@code srs_log_file}, {@code srs_log_level}. One line per record:
 * {@code [2026-11-21 14:52:00.123][INFO][1234] [7b2o8jn1] message}, the bracketed client id coming from the message.
 */
final class Logging {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
  private static final long PID = ProcessHandle.current().pid();
  // Held strongly: java.util.logging forgets the level of a logger nobody references.
  private static final Logger LAUNCHER = Logger.getLogger("io.vertx.launcher.application");
  private static final Logger ESTUARY = Logger.getLogger("io.estuary");
  private static final Logger NETTY = Logger.getLogger("io.netty");

  private Logging() {
  }

  /** Console logging at SRS's default level, before the configuration is read. */
  static void configureDefaults() {
    install(console(), Level.INFO);
    // The launcher logs a start failure with a stack trace; Estuary's hooks print it as one line instead.
    LAUNCHER.setLevel(Level.OFF);
  }

  static void configure(NodeConfig.Log log) {
    Level level = level(log.level());
    Handler handler;
    if (log.toFile()) {
      String file = log.file();
      try {
        java.nio.file.Path parent = java.nio.file.Path.of(file).toAbsolutePath().getParent();
        if (parent != null) {
          java.nio.file.Files.createDirectories(parent);
        }
        handler = new FileHandler(file, true);
      } catch (IOException e) {
        throw new UncheckedIOException("srs_log_file " + file + ": " + e.getMessage(), e);
      }
      handler.setFormatter(new LineFormatter());
    } else {
      handler = console();
    }
    install(handler, level);
  }

  /** SRS's levels, from most to least verbose; SRS's "trace" is its normal operating level. */
  static Level level(String srsLevel) {
    return switch (srsLevel) {
      case "verbose" -> Level.FINEST;
      case "info" -> Level.FINE;
      case "warn" -> Level.WARNING;
      case "error" -> Level.SEVERE;
      default -> Level.INFO;
    };
  }

  private static Handler console() {
    StreamHandler handler = new StreamHandler(System.out, new LineFormatter()) {
      @Override
      public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
      }
    };
    return handler;
  }

  private static void install(Handler handler, Level level) {
    Logger root = Logger.getLogger("");
    for (Handler old : root.getHandlers()) {
      if (old instanceof ConsoleHandler || old instanceof StreamHandler) {
        root.removeHandler(old);
        old.flush(); // not close(): a console handler's stream is System.out, which must stay open
      }
    }
    handler.setLevel(level);
    root.addHandler(handler);
    root.setLevel(level);
    ESTUARY.setLevel(level);
    // Netty and Hazelcast are chatty below INFO.
    NETTY.setLevel(level.intValue() < Level.INFO.intValue() ? Level.INFO : level);
  }

  static final class LineFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      StringBuilder line = new StringBuilder(128)
          .append('[').append(TIME.format(LocalDateTime.now())).append("][")
          .append(levelName(record.getLevel())).append("][").append(PID).append("] ")
          .append(formatMessage(record)).append(System.lineSeparator());
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        line.append(trace);
      }
      return line.toString();
    }

    private static String levelName(Level level) {
      if (level.intValue() >= Level.SEVERE.intValue()) {
        return "Error";
      }
      if (level.intValue() >= Level.WARNING.intValue()) {
        return "Warn";
      }
      if (level.intValue() >= Level.INFO.intValue()) {
        return "Trace";
      }
      return level.intValue() >= Level.FINE.intValue() ? "Debug" : "Verb";
    }
  }
}
