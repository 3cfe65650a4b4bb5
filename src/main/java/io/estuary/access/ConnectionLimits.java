package io.estuary.access;

/**
 * How many client connections the node takes: {@code max} in all (SRS's {@code max_connections}, RTMP, RTMPS and HTTP
 * live players together) and {@code perIp} from one address (Estuary's {@code max_connections_per_ip}; 0: no limit).
 */
public record ConnectionLimits(int max, int perIp) {

  public ConnectionLimits {
    if (max < 1 || perIp < 0) {
      throw new IllegalArgumentException("connection limits: max " + max + " must be >= 1, per IP " + perIp + " >= 0");
    }
  }
}
