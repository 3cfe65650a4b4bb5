package io.estuary.amf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AMF0 ECMA array (AMF0 spec 2.10): an associative array, kept apart from a plain object so that it is
 * written back with marker 0x08. Also used for an AMF3 array that has an associative part (AMF3 spec 3.11).
 */
public final class EcmaArray extends LinkedHashMap<String, Object> {

  public EcmaArray() {
  }

  public EcmaArray(Map<String, ?> entries) {
    super(entries);
  }
}
