package io.estuary.media;

import io.netty.buffer.ByteBuf;

/**
 * What a stream's audio sequence header says of its codec, parsed once: "AAC", its sample rate, channels and
 * profile. {@code profile} is null and the numbers 0 when the AudioSpecificConfig could not be read.
 */
public record AudioInfo(String codec, int sampleRate, int channels, String profile) {

  /** From an FLV audio sequence header body; null when it is not AAC. */
  public static AudioInfo parse(ByteBuf body) {
    if (FlvTags.audioFormat(body) != FlvTags.AUDIO_FORMAT_AAC || body.readableBytes() <= FlvTags.AAC_HEADER_LENGTH) {
      return null;
    }
    try {
      AacConfig aac = AacConfig.parse(body.slice(body.readerIndex() + FlvTags.AAC_HEADER_LENGTH,
          body.readableBytes() - FlvTags.AAC_HEADER_LENGTH));
      return new AudioInfo("AAC", aac.sampleRate(), aac.channels(), aac.profileName());
    } catch (IllegalArgumentException e) {
      return new AudioInfo("AAC", 0, 0, null);
    }
  }

  /** Whether the sample rate, channels and profile were read. */
  public boolean detailed() {
    return profile != null;
  }
}
