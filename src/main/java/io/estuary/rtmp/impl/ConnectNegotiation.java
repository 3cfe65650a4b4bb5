package io.estuary.rtmp.impl;

import io.estuary.media.FourCc;
import io.estuary.rtmp.RtmpCapabilities;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Enhanced RTMP v2 connect negotiation, server side: what Estuary answers in the connect {@code _result} to a client
 * that announced {@code fourCcList}, {@code [audio|video]FourCcInfoMap} or {@code capsEx}. A client that announced
 * nothing (FFmpeg by default, OBS before 30, Flash) gets SRS's {@code _result} unchanged.
 *
 * <p>Estuary relays every codec as it was received and decodes or encodes none: each codec it carries is
 * {@code CanForward}, named one by one (not {@code "*"}, which would promise codecs no player of ours was tested with).
 * {@code capsEx} is Reconnect and Multitrack. Reconnect: a publisher that announced it is asked to move
 * (NetConnection.Connect.ReconnectRequest) before the node stops or when the API kicks it with {@code ?reconnect=1}.
 * Multitrack: each track's sequence header is kept for late players; a player that announced Multitrack gets every
 * track, any other the default track (track 0) as plain FLV. Not ModEx nor TimestampNanoOffset: ingest skips the
 * modifiers and relays them untouched.
 */
final class ConnectNegotiation {

  static final List<String> VIDEO = Stream.of(FourCc.AVC1, FourCc.HVC1, FourCc.AV01, FourCc.VP09, FourCc.VP08)
      .map(FourCc::toString).toList();
  static final List<String> AUDIO = Stream.of(FourCc.MP4A, FourCc.MP3, FourCc.OPUS, FourCc.FLAC, FourCc.AC3,
      FourCc.EAC3).map(FourCc::toString).toList();

  /** What Estuary announces: every relayed codec CanForward (also as a v1 fourCcList), Reconnect and Multitrack. */
  static final RtmpCapabilities OFFER = new RtmpCapabilities(Stream.concat(VIDEO.stream(), AUDIO.stream()).toList(),
      forward(VIDEO), forward(AUDIO), RtmpCapabilities.CAPS_EX_RECONNECT | RtmpCapabilities.CAPS_EX_MULTITRACK);

  private ConnectNegotiation() {
  }

  /** Estuary's {@link #OFFER} to a client that announced Enhanced RTMP capabilities; nothing to a legacy client. */
  static RtmpCapabilities answer(RtmpCapabilities announced) {
    return announced.announced() ? OFFER : RtmpCapabilities.NONE;
  }

  private static Map<String, Integer> forward(List<String> fourCcs) {
    Map<String, Integer> flags = new LinkedHashMap<>();
    fourCcs.forEach(fourCc -> flags.put(fourCc, RtmpCapabilities.CAN_FORWARD));
    return flags;
  }
}
