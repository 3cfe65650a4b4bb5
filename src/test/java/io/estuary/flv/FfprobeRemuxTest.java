package io.estuary.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.estuary.amf.EcmaArray;
import io.estuary.testing.Ffmpeg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real demuxer, ffprobe, reads what FlvWriter writes. */
class FfprobeRemuxTest {

  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  private static void write(OutputStream out, ByteBuf buf) throws IOException {
    buf.getBytes(buf.readerIndex(), out, buf.readableBytes());
  }

  @Test
  void firstFiveSecondsRemuxedAreH264AndAac(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out.flv");
    List<FlvTag> tags = FlvReader.readFile(Ffmpeg.media("h264-aac-640x360.flv"));
    try (OutputStream file = Files.newOutputStream(out)) {
      ByteBuf header = FlvWriter.header(ALLOC, true, true);
      write(file, header);
      header.release();
      for (FlvTag tag : tags) {
        if (tag.timestamp() >= 5000) {
          continue;
        }
        if (tag.isScript()) {
          // New metadata, as the server writes it for a player: the properties with this file's duration.
          Map<String, Object> metadata = new EcmaArray(ScriptData.decode(tag.body()).metadata());
          metadata.put("duration", 5.0);
          metadata.remove("filesize");
          ByteBuf body = FlvWriter.onMetaData(ALLOC, metadata);
          ByteBuf framed = FlvWriter.tag(ALLOC, tag.type(), tag.timestamp(), body);
          write(file, framed);
          framed.release();
          body.release();
        } else {
          // The fan-out path: a player's own header and trailer around the shared body.
          ByteBuf own = ALLOC.buffer(FlvWriter.TAG_HEADER_LENGTH + FlvWriter.PREVIOUS_TAG_SIZE_LENGTH);
          int size = tag.body().readableBytes();
          FlvWriter.writeTagHeader(own, tag.type(), tag.timestamp(), size);
          ByteBuf payload = tag.body().retainedDuplicate();
          FlvWriter.writePreviousTagSize(own, size);
          file.write(ByteBufUtil.getBytes(own, 0, FlvWriter.TAG_HEADER_LENGTH));
          write(file, payload);
          file.write(ByteBufUtil.getBytes(own, FlvWriter.TAG_HEADER_LENGTH, 4));
          payload.release();
          own.release();
        }
      }
    } finally {
      tags.forEach(FlvTag::release);
    }

    JsonObject probe = new JsonObject(Ffmpeg.probe(out.toString(), "-show_streams", "-count_frames"));
    JsonArray streams = probe.getJsonArray("streams");
    JsonObject video = null;
    JsonObject audio = null;
    for (int i = 0; i < streams.size(); i++) {
      JsonObject s = streams.getJsonObject(i);
      if ("video".equals(s.getString("codec_type"))) {
        video = s;
      } else if ("audio".equals(s.getString("codec_type"))) {
        audio = s;
      }
    }
    assertNotNull(video, probe.encodePrettily());
    assertNotNull(audio, probe.encodePrettily());
    assertEquals("h264", video.getString("codec_name"));
    assertEquals(640, video.getInteger("width"));
    assertEquals(360, video.getInteger("height"));
    int frames = Integer.parseInt(video.getString("nb_read_frames"));
    assertEquals(125, frames, "video frames decoded: 25 fps for 5 s");
    assertEquals("aac", audio.getString("codec_name"));
    assertEquals("44100", audio.getString("sample_rate"));
    assertEquals(2, audio.getInteger("channels"));
  }
}
