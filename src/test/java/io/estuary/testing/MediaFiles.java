package io.estuary.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tests' media, made with ffmpeg from its {@code lavfi} sources ({@code testsrc2} video, a 440 Hz {@code sine}
 * tone) the first time a test asks for a file, into {@code target/test-media/} (the property
 * {@code estuary.media.target}), so a clone builds and passes with nothing beside it. Each file is made at most once
 * per build: surefire's and failsafe's JVMs share the folder, take a file lock on it while they make a file, and write
 * to a temporary name that is renamed into place only when ffmpeg has finished.
 *
 * <p>Every video track (but the Enhanced RTMP files' HEVC, AV1 and VP9, made by {@link Ffmpeg7}): H.264 Main, yuv420p, 25 fps, x264 veryfast (with B-frames), a fixed 50-frame GOP (a
 * keyframe every 2 s, no scene cuts), CBR-ish bitrate. Every audio track: AAC-LC, 44.1 kHz, stereo.
 */
public final class MediaFiles {

  private static final String SINE = "sine=frequency=440:sample_rate=44100";

  /** ffmpeg's arguments after its inputs, and before the output file, per file. */
  private static final Map<String, List<String>> RECIPES = Map.of(
      "h264-aac-640x360.flv", audioVideo("640x360", 20, "500k", "1000k", "96k"),
      "h264-only.flv", List.of("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-t", "10",
          "-c:v", "libx264", "-profile:v", "main", "-preset", "veryfast", "-pix_fmt", "yuv420p",
          "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
          "-b:v", "500k", "-minrate", "500k", "-maxrate", "500k", "-bufsize", "1000k", "-an"),
      "aac-only.flv", List.of("-f", "lavfi", "-i", SINE, "-t", "10",
          "-c:a", "aac", "-profile:a", "aac_low", "-ar", "44100", "-ac", "2", "-b:a", "96k", "-vn"),
      "h264-aac-1080p.flv", audioVideo("1920x1080", 10, "2900k", "5800k", "128k"),
      // low bitrate (about 200 kbps): many players for a long time on 2 cores (the soak, SoakIT)
      "h264-aac-320x180.flv", audioVideo("320x180", 20, "150k", "300k", "32k"),
      // Enhanced RTMP video, made (and muxed to FLV with the ExHeader) by FFmpeg 7.1: see ENHANCED
      "hevc-aac-640x360.flv", enhanced("libx265", "-preset", "ultrafast",
          "-x265-params", "keyint=50:min-keyint=50:scenecut=0:log-level=error"),
      "av1-aac-640x360.flv", enhanced("libsvtav1", "-preset", "11", "-svtav1-params", "keyint=50:scd=0"),
      // Opus packets (20 ms, 48 kHz stereo) in Ogg, for the tests that build Enhanced RTMP Opus tags (OggOpus)
      "opus-48k.ogg", List.of("-f", "lavfi", "-i", "sine=frequency=660:sample_rate=48000", "-t", "10",
          "-c:a", "libopus", "-b:a", "64k", "-ac", "2", "-frame_duration", "20"),
      // MP3 in legacy FLV (SoundFormat 2), for the MP4 writer's MP3 track
      "mp3-44k.flv", List.of("-f", "lavfi", "-i", SINE, "-t", "10",
          "-c:a", "libmp3lame", "-ar", "44100", "-ac", "2", "-b:a", "128k", "-vn"),
      "vp9-aac-640x360.flv", enhanced("libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
          "-keyint_min", "50"));

  /** The files FFmpeg 7.1 makes ({@link Ffmpeg7}): Debian's FFmpeg 5.1 cannot put these codecs in FLV. */
  private static final Set<String> ENHANCED = Set.of("hevc-aac-640x360.flv", "av1-aac-640x360.flv",
      "vp9-aac-640x360.flv");

  private MediaFiles() {
  }

  private static List<String> audioVideo(String size, int seconds, String videoRate, String bufsize, String audioRate) {
    return List.of("-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=25", "-f", "lavfi", "-i", SINE,
        "-t", String.valueOf(seconds), "-map", "0:v", "-map", "1:a",
        "-c:v", "libx264", "-profile:v", "main", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
        "-b:v", videoRate, "-minrate", videoRate, "-maxrate", videoRate, "-bufsize", bufsize,
        "-c:a", "aac", "-profile:a", "aac_low", "-ar", "44100", "-ac", "2", "-b:a", audioRate);
  }

  /**
   * 10 s of 640x360 video in {@code encoder} (with its options), a keyframe every 2 s, and AAC-LC: what an OBS or
   * FFmpeg 7 publisher sends over Enhanced RTMP.
   */
  private static List<String> enhanced(String encoder, String... options) {
    List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi",
        "-i", SINE, "-t", "10", "-map", "0:v", "-map", "1:a", "-c:v", encoder));
    args.addAll(List.of(options));
    args.addAll(List.of("-pix_fmt", "yuv420p", "-g", "50", "-b:v", "500k",
        "-c:a", "aac", "-profile:a", "aac_low", "-ar", "44100", "-ac", "2", "-b:a", "96k"));
    return List.copyOf(args);
  }

  /** The folder the files are made in. */
  public static Path folder() {
    return Path.of(System.getProperty("estuary.media.target", "target/test-media"));
  }

  /** The file {@code name}, made now if this build has not made it yet. */
  public static synchronized Path get(String name) {
    List<String> recipe = RECIPES.get(name);
    if (recipe == null) {
      throw new IllegalArgumentException("no recipe for test media " + name + "; known: " + RECIPES.keySet());
    }
    Path dir = folder();
    Path file = dir.resolve(name);
    if (Files.isRegularFile(file)) {
      return file;
    }
    try {
      Files.createDirectories(dir);
      // The lock is per JVM and per file: synchronized keeps this JVM's threads out, the lock the other JVM.
      try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
        if (!Files.isRegularFile(file)) { // another JVM may have made it while this one waited for the lock
          make(ENHANCED.contains(name) ? Ffmpeg7.ffmpeg() : "ffmpeg", recipe, file);
        }
      }
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("could not make test media " + file.toAbsolutePath() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making test media " + file.toAbsolutePath(), e);
    }
  }

  private static void make(String ffmpeg, List<String> recipe, Path file) throws IOException, InterruptedException {
    Path temp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
    command.addAll(recipe);
    command.addAll(List.of("-f", file.getFileName().toString().endsWith(".ogg") ? "ogg" : "flv", temp.toString()));
    Ffmpeg.Run run = Ffmpeg.start(command);
    if (!run.waitFor(300)) {
      run.stop();
      throw new IOException("ffmpeg did not finish in 300 s: " + run.stderr());
    }
    if (run.exitCode() != 0) {
      Files.deleteIfExists(temp);
      throw new IOException("ffmpeg failed (" + run.exitCode() + "): " + String.join(" ", command) + "\n"
          + run.stderr());
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
  }
}
