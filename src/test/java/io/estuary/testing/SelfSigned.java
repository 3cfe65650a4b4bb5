package io.estuary.testing;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A self-signed certificate and its key, made by openssl, for the RTMPS tests. */
public final class SelfSigned {

  private SelfSigned() {
  }

  /** Writes {@code key} and {@code cert} (PEM) for {@code cn}, with {@code subjectAltName} (e.g. "DNS:localhost"). */
  public static void write(Path key, Path cert, String cn, String subjectAltName) throws Exception {
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=" + cn, "-addext", "subjectAltName=" + subjectAltName, "-keyout", key.toString(),
        "-out", cert.toString()).redirectErrorStream(true).start();
    String out = new String(openssl.getInputStream().readAllBytes());
    assertEquals(0, openssl.waitFor(), out);
  }
}
