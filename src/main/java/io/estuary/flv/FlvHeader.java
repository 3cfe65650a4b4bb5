package io.estuary.flv;

/**
 * The FLV file header (FLV spec v10.1, E.2).
 *
 * @param version  always 1
 * @param hasAudio the TypeFlagsAudio bit: audio tags are present
 * @param hasVideo the TypeFlagsVideo bit: video tags are present
 */
public record FlvHeader(int version, boolean hasAudio, boolean hasVideo) {
}
