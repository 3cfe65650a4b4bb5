package io.estuary.flv;

import io.estuary.amf.Amf0;
import io.estuary.amf.AmfException;
import io.estuary.amf.EcmaArray;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A script data tag body (FLV spec v10.1, E.4.4.1): a name, usually {@code onMetaData}, then AMF0 values.
 *
 * <p>An RTMP publisher sends its metadata as {@code @setDataFrame("onMetaData", {...})}, which the server turns
 * into {@code onMetaData({...})} before players see it (as SRS does): {@link #isMetaData()} and
 * {@link #metadata()} accept both forms, and {@link #asOnMetaData()} makes the second from either.
 *
 * @param name   the first value, which the spec requires to be a string
 * @param values the values after the name
 */
public record ScriptData(String name, List<Object> values) {

  public static final String ON_METADATA = "onMetaData";
  public static final String SET_DATA_FRAME = "@setDataFrame";

  public ScriptData {
    values = Collections.unmodifiableList(values);
  }

  /**
   * Decodes a script tag body without moving its reader index (the body is usually shared).
   *
   * @throws FlvFormatException when the body is not AMF0 or does not start with a string
   */
  public static ScriptData decode(ByteBuf body) {
    List<Object> all;
    try {
      all = Amf0.readAll(body.duplicate());
    } catch (AmfException e) {
      throw new FlvFormatException("script data is not valid AMF0: " + e.getMessage(), e);
    }
    if (all.isEmpty() || !(all.get(0) instanceof String name)) {
      throw new FlvFormatException("script data does not start with a name string: " + all);
    }
    return new ScriptData(name, all.subList(1, all.size()));
  }

  /** {@code onMetaData(...)} or {@code @setDataFrame("onMetaData", ...)}. */
  public boolean isMetaData() {
    return ON_METADATA.equals(name)
        || SET_DATA_FRAME.equals(name) && !values.isEmpty() && ON_METADATA.equals(values.get(0));
  }

  /**
   * The metadata properties: the first ECMA array or object among the values of a metadata tag. Empty when this
   * is not metadata or carries no properties.
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> metadata() {
    if (!isMetaData()) {
      return Map.of();
    }
    for (Object value : values) {
      if (value instanceof Map<?, ?> map) {
        return Collections.unmodifiableMap((Map<String, Object>) map);
      }
    }
    return Map.of();
  }

  /** {@code onMetaData} with this tag's properties as an ECMA array: what players are sent. */
  public ScriptData asOnMetaData() {
    return new ScriptData(ON_METADATA, List.of(new EcmaArray(metadata())));
  }

  /** The AMF0 body: the name then the values. */
  public ByteBuf encode(ByteBufAllocator alloc) {
    ByteBuf out = alloc.buffer();
    try {
      Amf0.write(out, name);
      for (Object value : values) {
        Amf0.write(out, value);
      }
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }
}
