package io.estuary.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The tags of an FLV file (FLV spec v10.1, annex E), read whole: test media is a few MB. */
public final class FlvFile {

  /** One tag: type (8 audio, 9 video, 18 script), timestamp in ms, body. */
  public record Tag(int type, long timestamp, byte[] body) {
  }

  private FlvFile() {
  }

  public static List<Tag> read(Path file) throws IOException {
    byte[] d = Files.readAllBytes(file);
    if (d.length < 13 || d[0] != 'F' || d[1] != 'L' || d[2] != 'V') {
      throw new IOException("not an FLV file: " + file);
    }
    int headerSize = (d[5] & 0xff) << 24 | (d[6] & 0xff) << 16 | (d[7] & 0xff) << 8 | (d[8] & 0xff);
    int i = headerSize + 4; // header, then PreviousTagSize0
    List<Tag> tags = new ArrayList<>();
    while (i + 11 <= d.length) {
      int type = d[i] & 0x1f;
      int size = u24(d, i + 1);
      long timestamp = u24(d, i + 4) | (long) (d[i + 7] & 0xff) << 24;
      if (i + 11 + size > d.length) {
        break; // a truncated last tag
      }
      byte[] body = new byte[size];
      System.arraycopy(d, i + 11, body, 0, size);
      tags.add(new Tag(type, timestamp, body));
      i += 11 + size + 4;
    }
    return tags;
  }

  /** The body of the first tag of {@code type} whose second byte is 0: the AVC or AAC sequence header. */
  public static byte[] sequenceHeader(Path file, int type) throws IOException {
    for (Tag tag : read(file)) {
      if (tag.type() == type && tag.body().length > 1 && tag.body()[1] == 0) {
        return tag.body();
      }
    }
    throw new IOException("no sequence header of tag type " + type + " in " + file);
  }

  private static int u24(byte[] d, int i) {
    return (d[i] & 0xff) << 16 | (d[i + 1] & 0xff) << 8 | (d[i + 2] & 0xff);
  }
}
