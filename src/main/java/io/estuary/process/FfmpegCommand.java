package io.estuary.process;

import io.estuary.config.FfmpegEngine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/** The ffmpeg command line SRS builds for an engine (srs_app_ffmpeg.cpp), in SRS's order. */
final class FfmpegCommand {

  private static final Logger LOG = Logger.getLogger("io.estuary.process");
  /** Missing binaries already reported, so a restart loop says it once. */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private FfmpegCommand() {
  }

  /**
   * The binary to run for a configured path: the path itself when it exists or names no directory (a PATH lookup);
   * else, when it is an ffmpeg (SRS's {@code ./objs/ffmpeg/bin/ffmpeg}), the {@code ffmpeg} on the PATH.
   */
  static String binary(String configured) {
    if (configured.indexOf('/') < 0 || Files.isExecutable(Path.of(configured))) {
      return configured;
    }
    Path name = Path.of(configured).getFileName();
    if (name != null && name.toString().equals("ffmpeg")) {
      if (WARNED.add(configured)) {
        LOG.info(() -> configured + " does not exist: using ffmpeg from the PATH");
      }
      return "ffmpeg";
    }
    return configured;
  }

  /**
   * {@code ffmpeg [iparams] [-f iformat] -i input [vfilter] -vcodec ... [video settings] -acodec ... [audio settings]
   * [-f oformat] -y output}. The input format is given only for an RTMP input (SRS #290); the video and audio
   * settings only when that track is encoded; an audio copy keeps only {@code -bsf:a aac_adtstoasc} of its aparams.
   */
  static List<String> argv(String ffmpeg, List<String> iparams, String input, FfmpegEngine e, String output) {
    List<String> p = new ArrayList<>();
    p.add(ffmpeg);
    p.addAll(iparams);
    String iformat = input.startsWith("rtmp://") ? e.iformat() : "";
    if (!iformat.isEmpty() && !iformat.equals("off")) {
      p.add("-f");
      p.add(iformat);
    }
    p.add("-i");
    p.add(input);
    p.addAll(e.vfilter());
    if (e.vcodec().equals(FfmpegEngine.NO_VIDEO)) {
      p.add("-vn");
    } else {
      p.add("-vcodec");
      p.add(e.vcodec());
    }
    if (e.encodesVideo()) {
      if (e.vbitrate() > 0) {
        p.add("-b:v");
        p.add(Integer.toString(e.vbitrate() * 1000));
      }
      if (e.vfps() > 0) {
        p.add("-r");
        p.add(number(e.vfps()));
      }
      if (e.vwidth() > 0 && e.vheight() > 0) {
        p.add("-s");
        p.add(e.vwidth() + "x" + e.vheight());
        p.add("-aspect");
        p.add(e.vwidth() + ":" + e.vheight());
      }
      if (e.vthreads() > 0) {
        p.add("-threads");
        p.add(Integer.toString(e.vthreads()));
      }
      if (!e.vprofile().isEmpty()) {
        p.add("-profile:v");
        p.add(e.vprofile());
      }
      if (!e.vpreset().isEmpty()) {
        p.add("-preset");
        p.add(e.vpreset());
      }
      p.addAll(e.vparams());
    }
    if (e.acodec().equals(FfmpegEngine.NO_AUDIO)) {
      p.add("-an");
    } else {
      p.add("-acodec");
      p.add(e.acodec());
      if (e.encodesAudio()) {
        if (e.abitrate() > 0) {
          p.add("-b:a");
          p.add(Integer.toString(e.abitrate() * 1000));
        }
        if (e.asampleRate() > 0) {
          p.add("-ar");
          p.add(Integer.toString(e.asampleRate()));
        }
        if (e.achannels() > 0) {
          p.add("-ac");
          p.add(Integer.toString(e.achannels()));
        }
        p.addAll(e.aparams());
      } else {
        List<String> a = e.aparams();
        for (int i = 0; i + 1 < a.size(); i++) {
          if (a.get(i).equals("-bsf:a") && a.get(i + 1).equals("aac_adtstoasc")) {
            p.add("-bsf:a");
            p.add("aac_adtstoasc");
          }
        }
      }
    }
    if (!e.oformat().isEmpty() && !e.oformat().equals("off")) {
      p.add("-f");
      p.add(e.oformat());
    }
    p.add("-y");
    p.add(output);
    return p;
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
  }
}
