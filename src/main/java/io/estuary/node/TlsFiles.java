package io.estuary.node;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/**
 * Checks an RTMPS key and certificate (PEM, as SRS takes them) before any listener starts, so that a missing file,
 * an unreadable one or a key that does not belong to the certificate stops the start with a message naming it —
 * rather than a node that accepts TCP and fails every handshake.
 */
final class TlsFiles {

  private TlsFiles() {
  }

  /** Throws IllegalArgumentException naming the file and the problem. */
  static void check(String keyPath, String certPath) {
    byte[] keyPem = read("key", keyPath);
    byte[] certPem = read("cert", certPath);
    X509Certificate cert;
    try {
      Collection<? extends java.security.cert.Certificate> chain =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(certPem));
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("rtmps cert " + certPath + ": no certificate in the file");
      }
      cert = (X509Certificate) chain.iterator().next(); // the leaf comes first in a full chain
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("rtmps cert " + certPath + ": not a PEM certificate (" + e.getMessage() + ")");
    }
    PrivateKey key = privateKey(keyPath, new String(keyPem, StandardCharsets.US_ASCII), cert.getPublicKey().getAlgorithm());
    if (key != null && !belongTogether(key, cert)) {
      throw new IllegalArgumentException("rtmps key " + keyPath + " does not match the certificate " + certPath);
    }
  }

  private static byte[] read(String what, String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("rtmps " + what + " is not configured");
    }
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException("rtmps " + what + " " + path + ": file not found");
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("rtmps " + what + " " + path + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** PKCS#8 ("PRIVATE KEY") or PKCS#1 RSA ("RSA PRIVATE KEY"); null for other forms (not checked, TLS will say). */
  private static PrivateKey privateKey(String path, String pem, String algorithm) {
    byte[] der;
    try {
      if (pem.contains("-----BEGIN PRIVATE KEY-----")) {
        der = base64(pem, "PRIVATE KEY");
      } else if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
        der = pkcs1ToPkcs8(base64(pem, "RSA PRIVATE KEY"));
      } else if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
        return null;
      } else {
        throw new IllegalArgumentException("rtmps key " + path + ": no PEM private key in the file");
      }
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalStateException e) {
      throw new IllegalArgumentException("rtmps key " + path + ": not a " + algorithm + " private key matching the certificate ("
          + e.getMessage() + ")");
    }
  }

  private static boolean belongTogether(PrivateKey key, X509Certificate cert) {
    try {
      String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
      byte[] probe = "estuary".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] base64(String pem, String type) {
    int start = pem.indexOf("-----BEGIN " + type + "-----");
    int end = pem.indexOf("-----END " + type + "-----", start);
    if (start < 0 || end < 0) {
      throw new IllegalStateException("no " + type + " block");
    }
    String body = pem.substring(start + type.length() + 16, end).replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (RFC 5208) with the rsaEncryption algorithm id. */
  private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    byte[] octets = concat(new byte[] {0x04}, derLength(pkcs1.length), pkcs1);
    byte[] body = concat(new byte[] {0x02, 0x01, 0x00}, algorithm, octets);
    return concat(new byte[] {0x30}, derLength(body.length), body);
  }

  private static byte[] derLength(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    if (length < 0x100) {
      return new byte[] {(byte) 0x81, (byte) length};
    }
    if (length < 0x10000) {
      return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
    }
    return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int i = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, i, p.length);
      i += p.length;
    }
    return out;
  }
}
