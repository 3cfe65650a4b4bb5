package io.estuary.rtmp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one side of an RTMP connection announces in {@code connect} (the client, in its command object) or in the
 * connect {@code _result} (the server, in its properties): Enhanced RTMP v2, "Enhancing NetConnection connect Command".
 * {@code fourCcList} names the codecs it supports; {@code videoFourCcInfoMap} and {@code audioFourCcInfoMap} give each
 * FourCC (or the wildcard {@code "*"}) a set of {@code CAN_*} flags; {@code capsEx} holds the {@code CAPS_EX_*} bits.
 * A legacy client or server announces nothing: {@link #NONE}.
 */
public record RtmpCapabilities(List<String> fourCcList, Map<String, Integer> videoFourCcInfoMap,
                               Map<String, Integer> audioFourCcInfoMap, int capsEx) {

  /** CapsExMask.Reconnect: it handles NetConnection.Connect.ReconnectRequest. */
  public static final int CAPS_EX_RECONNECT = 0x01;
  /** CapsExMask.Multitrack: it handles multitrack audio and video messages. */
  public static final int CAPS_EX_MULTITRACK = 0x02;
  /** CapsExMask.ModEx: it parses the ModEx packet type. */
  public static final int CAPS_EX_MODEX = 0x04;
  /** CapsExMask.TimestampNanoOffset: it handles the nanosecond timestamp offset (a ModEx). */
  public static final int CAPS_EX_TIMESTAMP_NANO_OFFSET = 0x08;

  /** FourCcInfoMask.CanDecode. */
  public static final int CAN_DECODE = 0x01;
  /** FourCcInfoMask.CanEncode. */
  public static final int CAN_ENCODE = 0x02;
  /** FourCcInfoMask.CanForward. */
  public static final int CAN_FORWARD = 0x04;

  /** The FourCC that stands for every codec; its flags override those of named codecs. */
  public static final String ANY = "*";

  /** Nothing announced: a legacy peer. */
  public static final RtmpCapabilities NONE = new RtmpCapabilities(List.of(), Map.of(), Map.of(), 0);

  public RtmpCapabilities {
    fourCcList = List.copyOf(fourCcList);
    videoFourCcInfoMap = Collections.unmodifiableMap(new LinkedHashMap<>(videoFourCcInfoMap));
    audioFourCcInfoMap = Collections.unmodifiableMap(new LinkedHashMap<>(audioFourCcInfoMap));
  }

  /**
   * Reads the Enhanced RTMP properties of a connect command object or a connect {@code _result}'s properties; what is
   * malformed (a FourCC that is not a string, a flag that is not a number) is left out, as a missing property is.
   */
  public static RtmpCapabilities from(Map<?, ?> object) {
    if (object == null) {
      return NONE;
    }
    List<String> list = new ArrayList<>();
    if (object.get("fourCcList") instanceof List<?> entries) {
      for (Object entry : entries) {
        if (entry instanceof String fourCc) {
          list.add(fourCc);
        }
      }
    }
    int capsEx = object.get("capsEx") instanceof Number n ? n.intValue() : 0;
    return new RtmpCapabilities(list, infoMap(object.get("videoFourCcInfoMap")),
        infoMap(object.get("audioFourCcInfoMap")), capsEx);
  }

  private static Map<String, Integer> infoMap(Object value) {
    Map<String, Integer> flags = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) { // an AMF0 object or an ECMA array: the spec asks readers to take both
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (entry.getKey() instanceof String fourCc && entry.getValue() instanceof Number n) {
          flags.put(fourCc, n.intValue());
        }
      }
    }
    return flags;
  }

  /** Whether anything Enhanced RTMP v2 was announced (a {@code capsEx} of 0 alone announces no capability). */
  public boolean announced() {
    return capsEx != 0 || !fourCcList.isEmpty() || !videoFourCcInfoMap.isEmpty() || !audioFourCcInfoMap.isEmpty();
  }

  /** The {@link #CAPS_EX_RECONNECT} bit. */
  public boolean reconnect() {
    return (capsEx & CAPS_EX_RECONNECT) != 0;
  }

  /** The {@link #CAPS_EX_MULTITRACK} bit. */
  public boolean multitrack() {
    return (capsEx & CAPS_EX_MULTITRACK) != 0;
  }

  /** The {@code CAN_*} flags for a video codec: the wildcard's when there is one (it overrides), else the codec's. */
  public int videoFlags(String fourCc) {
    return flags(videoFourCcInfoMap, fourCc);
  }

  /** The {@code CAN_*} flags for an audio codec: the wildcard's when there is one (it overrides), else the codec's. */
  public int audioFlags(String fourCc) {
    return flags(audioFourCcInfoMap, fourCc);
  }

  private static int flags(Map<String, Integer> map, String fourCc) {
    Integer any = map.get(ANY);
    return any != null ? any : map.getOrDefault(fourCc, 0);
  }

  /** Puts what is announced into {@code object} as AMF0 values (numbers as doubles); nothing for {@link #NONE}. */
  public void writeTo(Map<String, Object> object) {
    if (!fourCcList.isEmpty()) {
      object.put("fourCcList", new ArrayList<Object>(fourCcList));
    }
    if (!videoFourCcInfoMap.isEmpty()) {
      object.put("videoFourCcInfoMap", amf(videoFourCcInfoMap));
    }
    if (!audioFourCcInfoMap.isEmpty()) {
      object.put("audioFourCcInfoMap", amf(audioFourCcInfoMap));
    }
    if (announced()) {
      object.put("capsEx", (double) capsEx);
    }
  }

  private static Map<String, Object> amf(Map<String, Integer> flags) {
    Map<String, Object> object = new LinkedHashMap<>();
    flags.forEach((fourCc, value) -> object.put(fourCc, (double) value));
    return object;
  }
}
