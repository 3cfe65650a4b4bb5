package io.estuary.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * FFmpeg 7.1, the tests' Enhanced RTMP client: its FLV muxer and demuxer speak HEVC, AV1 and VP9 over RTMP, which
 * Debian's FFmpeg 5.1 does not. It comes from Maven Central as a test dependency ({@code org.bytedeco:ffmpeg}, classifier
 * {@code linux-x86_64-gpl}: the {@code ffmpeg} and {@code ffprobe} programs with their shared libraries); the build
 * names the jar in {@code estuary.ffmpeg7.jar} and this unpacks its programs once per build into {@code target/ffmpeg7}
 * (file-locked, as {@link MediaFiles} makes media, so surefire's and failsafe's JVMs share it). {@link Ffmpeg#start}
 * runs them with {@code LD_LIBRARY_PATH} set to their folder.
 */
public final class Ffmpeg7 {

  private static final String FOLDER_IN_JAR = "org/bytedeco/ffmpeg/linux-x86_64-gpl/";
  private static final String DONE = ".unpacked";

  private Ffmpeg7() {
  }

  /** The {@code ffmpeg} 7.1 program, unpacked now if this build has not yet. */
  public static String ffmpeg() {
    return folder().resolve("ffmpeg").toString();
  }

  /** The {@code ffprobe} 7.1 program. */
  public static String ffprobe() {
    return folder().resolve("ffprobe").toString();
  }

  /** FFmpeg 7.1 looping {@code file} in real time to {@code url} without re-encoding: an Enhanced RTMP publisher. */
  public static Ffmpeg.Run publish(Path file, String url) throws IOException {
    return Ffmpeg.publish(ffmpeg(), file, url);
  }

  /** FFmpeg 7.1 decoding {@code seconds} of {@code url}'s video, reporting frame counts ({@link Ffmpeg#play}). */
  public static Ffmpeg.Run play(String url, double seconds) throws IOException {
    return Ffmpeg.play(ffmpeg(), url, seconds);
  }

  /** ffprobe 7.1's JSON for {@code args} of {@code url} ({@link Ffmpeg#probe}). */
  public static String probe(String url, String... args) throws Exception {
    return Ffmpeg.probeWith(ffprobe(), url, args);
  }

  /** Whether {@code program} (a command's first word) is one of these programs: it then needs their libraries. */
  static boolean owns(String program) {
    Path target = target();
    return Path.of(program).isAbsolute() && Path.of(program).startsWith(target);
  }

  /** The folder of the programs and their libraries. */
  public static synchronized Path folder() {
    Path target = target();
    if (Files.isRegularFile(target.resolve(DONE))) {
      return target;
    }
    String jar = System.getProperty("estuary.ffmpeg7.jar", "");
    if (jar.isBlank() || jar.startsWith("${")) {
      throw new IllegalStateException("estuary.ffmpeg7.jar is not set: run the tests through Maven, which resolves "
          + "org.bytedeco:ffmpeg:7.1.1-1.5.12:linux-x86_64-gpl and names it");
    }
    try {
      Files.createDirectories(target);
      try (FileChannel channel = FileChannel.open(target.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
        if (!Files.isRegularFile(target.resolve(DONE))) {
          unpack(Path.of(jar), target);
        }
      }
      return target;
    } catch (IOException e) {
      throw new IllegalStateException("could not unpack FFmpeg 7 from " + jar + " into " + target + ": " + e, e);
    }
  }

  private static Path target() {
    return Path.of(System.getProperty("estuary.ffmpeg7.target", "target/ffmpeg7")).toAbsolutePath();
  }

  private static void unpack(Path jar, Path target) throws IOException {
    List<String> unpacked = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : zip.stream().toList()) {
        String name = entry.getName();
        if (entry.isDirectory() || !name.startsWith(FOLDER_IN_JAR) || name.contains("/jni")
            || name.substring(FOLDER_IN_JAR.length()).contains("/")) {
          continue; // the JNI bridges are for JavaCPP, not for the programs
        }
        Path file = target.resolve(name.substring(FOLDER_IN_JAR.length()));
        try (InputStream in = zip.getInputStream(entry)) {
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        file.toFile().setExecutable(true);
        unpacked.add(file.getFileName().toString());
      }
    }
    if (!unpacked.contains("ffmpeg") || !unpacked.contains("ffprobe")) {
      throw new IOException(jar + " holds no " + FOLDER_IN_JAR + "ffmpeg and ffprobe, only " + unpacked);
    }
    Files.writeString(target.resolve(DONE), String.join("\n", unpacked));
  }
}
