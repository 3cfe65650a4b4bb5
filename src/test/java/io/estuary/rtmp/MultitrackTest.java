package io.estuary.rtmp;

import io.estuary.flv.FlvFile;
import io.estuary.flv.FlvTag;
import io.estuary.media.AudioTagHeader;
import io.estuary.media.FourCc;
import io.estuary.rtmp.message.Media;
import io.estuary.stream.Source;
import io.estuary.stream.StreamKey;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.OggOpus;
import io.estuary.testing.TestNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.estuary.rtmp.RtmpCapabilities.CAPS_EX_MULTITRACK;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enhanced RTMP v2 multitrack audio end to end: a publisher sends two tracks, track 0 AAC (the test media's frames)
 * and track 1 Opus (packets FFmpeg encoded), in tags built here from the enhanced-rtmp v2 specification: each track's
 * SequenceStart as a OneTrack message, as OBS sends them, then ManyTracksManyCodecs messages where both tracks have a
 * packet at about the same time and OneTrack messages for the rest. A player that announced multitrack gets both
 * tracks; a legacy player (Debian's FFmpeg) gets track 0 as plain AAC, over RTMP and HTTP-FLV.
 */
class MultitrackTest {

  private static final String STREAM = "live/two-tracks";
  private static final int OPUS_PACKET_MS = 20;

  static Path html;
  static TestNode node;
  static RtmpClient client;
  static RtmpPublishSession publishing;
  /** The AAC AudioSpecificConfig and the OpusHead the publisher sent. */
  static byte[] asc;
  static byte[] opusHead;

  @BeforeAll
  static void publish() throws Exception {
    html = Files.createTempDirectory("estuary-multitrack");
    node = TestNode.start(new JsonObject()
        .put("http_server", new JsonObject().put("enabled", true).put("dir", html.toString()))
        .put("http_api", new JsonObject().put("enabled", true))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            // the publisher sends its 10 s at once, then stays for the players without sending more
            .put("publish", new JsonObject().put("normal_timeout", 600_000))
            // audio only: guess_has_av (on) makes the FLV header say so, else FFmpeg would wait up to 90 s for video
            .put("http_remux", new JsonObject().put("enabled", true).put("mount", "[vhost]/[app]/[stream].flv"))
            .put("hls", new JsonObject().put("enabled", true).put("hls_fragment", 2).put("hls_window", 60)
                .put("hls_path", html.toString())))));
    client = RtmpClient.create(node.vertx, new RtmpClientOptions().setCapsEx(CAPS_EX_MULTITRACK));
    List<Tag> tags = twoTrackTags();
    long bytes = tags.stream().mapToLong(tag -> tag.body.length).sum();
    Promise<Void> written = Promise.promise();
    publishing = client.publish(node.rtmp(STREAM)).compose(session -> {
      write(session, tags, 0, written); // on the session's event loop
      return written.future().map(session);
    }).await(20, TimeUnit.SECONDS);
    // Everything is in the stream's caches (the gop cache keeps an audio-only stream's frames) before anyone plays.
    Source source = node.node.hub().get(new StreamKey(StreamKey.DEFAULT_VHOST, "live", "two-tracks"));
    assertNotNull(source, "published");
    Await.until(Duration.ofSeconds(15), () -> source.recvBytes() >= bytes, () -> "the server received " + bytes
        + " bytes");
  }

  @AfterAll
  static void stop() throws Exception {
    if (publishing != null) {
      publishing.close().await(10, TimeUnit.SECONDS);
      node.awaitUnpublished(STREAM);
    }
    client.close().await(10, TimeUnit.SECONDS);
    node.close();
    try (Stream<Path> files = Files.walk(html)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
  }

  /** Writes {@code tags} from {@code from} on, pausing while the socket is full. */
  private static void write(RtmpPublishSession session, List<Tag> tags, int from, Promise<Void> done) {
    int i = from;
    for (; i < tags.size() && !session.writeQueueFull(); i++) {
      session.writeAudio(tags.get(i).timestamp, Unpooled.wrappedBuffer(tags.get(i).body));
    }
    if (i == tags.size()) {
      done.complete();
    } else {
      int next = i;
      session.drainHandler(v -> write(session, tags, next, done));
    }
  }

  /** An audio tag body to publish at {@code timestamp}. */
  private record Tag(long timestamp, byte[] body) {
  }

  /** The tags to publish, in timestamp order. */
  private static List<Tag> twoTrackTags() throws Exception {
    List<Long> aacTimes = new ArrayList<>();
    List<byte[]> aacFrames = new ArrayList<>();
    try (FlvFile flv = FlvFile.open(Ffmpeg.media("aac-only.flv"))) {
      while (flv.hasNext()) {
        FlvTag tag = flv.next();
        try {
          if (tag.isAudio()) {
            byte[] body = ByteBufUtil.getBytes(tag.body()); // legacy AAC: 0xAF, AACPacketType, data
            byte[] data = Arrays.copyOfRange(body, 2, body.length);
            if (body[1] == 0) {
              asc = data;
            } else {
              aacTimes.add(tag.timestamp());
              aacFrames.add(data);
            }
          }
        } finally {
          tag.release();
        }
      }
    }
    OggOpus opus = OggOpus.read(Ffmpeg.media("opus-48k.ogg"));
    opusHead = opus.head();
    List<Tag> tags = new ArrayList<>();
    tags.add(new Tag(0, oneTrack(AudioTagHeader.PACKET_SEQUENCE_START, "mp4a", 0, asc)));
    tags.add(new Tag(0, oneTrack(AudioTagHeader.PACKET_SEQUENCE_START, "Opus", 1, opusHead)));
    int a = 0;
    int o = 0;
    while (a < aacFrames.size() || o < opus.packets().size()) {
      long aacTime = a < aacFrames.size() ? aacTimes.get(a) : Long.MAX_VALUE;
      long opusTime = o < opus.packets().size() ? (long) o * OPUS_PACKET_MS : Long.MAX_VALUE;
      if (Math.abs(aacTime - opusTime) < OPUS_PACKET_MS / 2) {
        tags.add(new Tag(Math.min(aacTime, opusTime), bothTracks(aacFrames.get(a++), opus.packets().get(o++))));
      } else if (aacTime < opusTime) {
        tags.add(new Tag(aacTime, oneTrack(AudioTagHeader.PACKET_CODED_FRAMES, "mp4a", 0, aacFrames.get(a++))));
      } else {
        tags.add(new Tag(opusTime, oneTrack(AudioTagHeader.PACKET_CODED_FRAMES, "Opus", 1, opus.packets().get(o++))));
      }
    }
    return tags;
  }

  /** SoundFormat 9 | Multitrack (5); OneTrack (0) | packet type; FourCC; TrackId; the track's data to the end. */
  private static byte[] oneTrack(int packetType, String fourCc, int track, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x95);
    out.write(packetType);
    out.writeBytes(fourCc.getBytes(US_ASCII));
    out.write(track);
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** ManyTracksManyCodecs (2) | CodedFrames: per track its FourCC, TrackId, SizeOfTrack UI24 and data. */
  private static byte[] bothTracks(byte[] aac, byte[] opus) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x95);
    out.write(0x20 | AudioTagHeader.PACKET_CODED_FRAMES);
    track(out, "mp4a", 0, aac);
    track(out, "Opus", 1, opus);
    return out.toByteArray();
  }

  private static void track(ByteArrayOutputStream out, String fourCc, int track, byte[] data) {
    out.writeBytes(fourCc.getBytes(US_ASCII));
    out.write(track);
    out.write(data.length >> 16);
    out.write(data.length >> 8 & 0xff);
    out.write(data.length & 0xff);
    out.writeBytes(data);
  }

  /** The bodies of the first {@code count} audio messages a player with {@code options} gets, joining now. */
  private static List<byte[]> play(RtmpClientOptions options, int count) throws Exception {
    LinkedBlockingQueue<byte[]> audio = new LinkedBlockingQueue<>();
    RtmpClient player = RtmpClient.create(node.vertx, options);
    try {
      player.play(node.rtmp(STREAM), message -> {
        if (message instanceof Media media && media.isAudio()) {
          audio.add(ByteBufUtil.getBytes(media.payload())); // the session releases the message
        }
      }).await(10, TimeUnit.SECONDS);
      List<byte[]> got = new ArrayList<>();
      while (got.size() < count) {
        byte[] body = audio.poll(15, TimeUnit.SECONDS);
        assertNotNull(body, "audio message " + got.size() + " of " + count);
        got.add(body);
      }
      return got;
    } finally {
      player.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aMultitrackPlayerGetsBothTracksAndBothSequenceHeadersFirst() throws Exception {
    List<byte[]> got = play(new RtmpClientOptions().setCapsEx(CAPS_EX_MULTITRACK), 200);
    List<AudioTagHeader> first = AudioTagHeader.parseTracks(Unpooled.wrappedBuffer(got.get(0)));
    List<AudioTagHeader> second = AudioTagHeader.parseTracks(Unpooled.wrappedBuffer(got.get(1)));
    assertArrayEquals(oneTrack(AudioTagHeader.PACKET_SEQUENCE_START, "mp4a", 0, asc), got.get(0),
        "track 0's AAC sequence header first, as sent");
    assertArrayEquals(oneTrack(AudioTagHeader.PACKET_SEQUENCE_START, "Opus", 1, opusHead), got.get(1),
        "then track 1's OpusHead");
    assertEquals(0, first.get(0).track());
    assertEquals(1, second.get(0).track());

    int aac = 0;
    int opus = 0;
    int both = 0;
    for (byte[] body : got.subList(2, got.size())) {
      List<AudioTagHeader> tracks = AudioTagHeader.parseTracks(Unpooled.wrappedBuffer(body));
      for (AudioTagHeader track : tracks) {
        assertTrue(track.isCodedFrames());
        if (track.track() == 0) {
          assertEquals(FourCc.MP4A, track.codec());
          aac++;
        } else {
          assertEquals(1, track.track());
          assertEquals(FourCc.OPUS, track.codec());
          opus++;
        }
      }
      both += tracks.size() == 2 ? 1 : 0;
    }
    assertTrue(aac > 50 && opus > 50, aac + " AAC and " + opus + " Opus packets");
    assertTrue(both > 0, "ManyTracksManyCodecs messages relayed as they are");
  }

  @Test
  void aLateLegacyPlayerGetsTrackZeroAsPlainAacStartingWithItsSequenceHeader() throws Exception {
    List<byte[]> got = play(new RtmpClientOptions(), 200);
    byte[] header = new byte[asc.length + 2];
    header[0] = (byte) 0xaf;
    System.arraycopy(asc, 0, header, 2, asc.length);
    assertArrayEquals(header, got.get(0), "the legacy AAC sequence header first");
    for (byte[] body : got.subList(1, got.size())) {
      assertEquals((byte) 0xaf, body[0], "legacy AAC only: no Opus, no multitrack");
      assertEquals(1, body[1], "raw AAC frames");
    }
  }

  @Test
  void debianFfprobeSeesOneAacStreamOverRtmpAndHttpFlv() throws Exception {
    for (String url : List.of(node.rtmp(STREAM), node.http(STREAM + ".flv"))) {
      JsonObject probe = new JsonObject(Ffmpeg.probe(url, "-show_streams"));
      JsonArray streams = probe.getJsonArray("streams");
      assertEquals(1, streams.size(), url + ": one stream, track 0: " + streams);
      JsonObject audio = streams.getJsonObject(0);
      assertEquals("audio", audio.getString("codec_type"), url);
      assertEquals("aac", audio.getString("codec_name"), url);
      assertEquals(44100, Integer.parseInt(audio.getString("sample_rate")), url);
      assertEquals(2, audio.getInteger("channels"), url);
    }
  }

  @Test
  void debianFfmpegDecodesTrackZero() throws Exception {
    for (String url : List.of(node.rtmp(STREAM), node.http(STREAM + ".flv"))) {
      Ffmpeg.Run run = Ffmpeg.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
          "-rw_timeout", "15000000", "-i", url, "-t", "2", "-f", "null", "-"));
      if (!run.waitFor(40)) {
        run.stop();
        throw new AssertionError(url + ": ffmpeg did not end after 2 s of audio: " + run.stderr());
      }
      assertEquals(0, run.exitCode(), url + ": " + run.stderr());
      assertEquals("", run.stderr().strip(), url + ": no decode error");
    }
  }

  @Test
  void theApiListsBothTracks() throws Exception {
    JsonObject stream = new JsonObject(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(node.api("/api/v1/streams/"))).build(), HttpResponse.BodyHandlers.ofString()).body())
        .getJsonArray("streams").getJsonObject(0);
    assertEquals("AAC", stream.getJsonObject("audio").getString("codec"), "the default track: " + stream);
    assertEquals(new JsonArray()
        .add(new JsonObject().put("type", "audio").put("track", 0).put("codec", "AAC"))
        .add(new JsonObject().put("type", "audio").put("track", 1).put("codec", "Opus")),
        stream.getJsonArray("tracks"), stream.encodePrettily());
  }

  @Test
  void hlsGetsTrackZero() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String url = node.http(STREAM + ".m3u8");
    Await.value(Duration.ofSeconds(30), () -> {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : "";
      } catch (Exception e) {
        return "";
      }
    }, playlist -> playlist.lines().filter(l -> l.endsWith(".ts")).count() >= 2, () -> "2 segments in " + url);
    JsonArray streams = new JsonObject(Ffmpeg.probe(url, "-show_streams")).getJsonArray("streams");
    assertEquals(1, streams.size(), "one stream, track 0: " + streams);
    assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
  }
}
