package io.estuary.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Opus stream of an Ogg file (RFC 7845) as FFmpeg wrote it: the {@code OpusHead} identification header and the
 * audio packets in order. FFmpeg cannot put Opus in FLV, so the tests that send Enhanced RTMP Opus build the tags
 * themselves around these packets, as the enhanced-rtmp specification lays them out.
 */
public record OggOpus(byte[] head, List<byte[]> packets) {

  private static final byte[] CAPTURE = {'O', 'g', 'g', 'S'};

  /** Reads {@code file}: one logical stream, Opus. */
  public static OggOpus read(Path file) throws IOException {
    byte[] data = Files.readAllBytes(file);
    List<byte[]> all = new ArrayList<>();
    ByteArrayOutputStream partial = new ByteArrayOutputStream();
    int i = 0;
    while (i < data.length) {
      if (i + 27 > data.length || !Arrays.equals(data, i, i + 4, CAPTURE, 0, 4)) {
        throw new IOException(file + ": no Ogg page at byte " + i);
      }
      int segments = data[i + 26] & 0xff;
      int body = i + 27 + segments;
      for (int s = 0; s < segments; s++) {
        int lacing = data[i + 27 + s] & 0xff;
        partial.write(data, body, lacing);
        body += lacing;
        if (lacing < 255) { // a packet ends with a lacing value under 255
          all.add(partial.toByteArray());
          partial.reset();
        }
      }
      i = body;
    }
    if (all.size() < 3 || !new String(all.get(0), 0, 8, java.nio.charset.StandardCharsets.US_ASCII).equals("OpusHead")) {
      throw new IOException(file + ": not an Ogg Opus stream");
    }
    // packet 0: OpusHead, packet 1: OpusTags, then audio
    return new OggOpus(all.get(0), List.copyOf(all.subList(2, all.size())));
  }
}
