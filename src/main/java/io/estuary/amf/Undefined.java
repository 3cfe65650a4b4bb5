package io.estuary.amf;

/** The AMF undefined value (AMF0 spec 2.8, AMF3 spec 3.2), distinct from null. Use {@link Amf0#UNDEFINED}. */
public enum Undefined {
  INSTANCE;

  @Override
  public String toString() {
    return "undefined";
  }
}
