package io.estuary.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ThreadLocalRandom;

/** A hand-driven RTMP client over a plain socket, to send the server exactly the bytes a test wants. */
public final class RawRtmp implements AutoCloseable {

  public final Socket socket;

  public RawRtmp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(15000);
  }

  /** A simple handshake: C0C1, read S0S1S2, send C2 (an echo of S1). */
  public RawRtmp handshake() throws IOException {
    byte[] c0c1 = new byte[1537];
    ThreadLocalRandom.current().nextBytes(c0c1);
    c0c1[0] = 3;
    for (int i = 1; i < 9; i++) {
      c0c1[i] = 0; // time and zero fields: no digest, so the server answers the simple handshake
    }
    send(c0c1);
    byte[] s = readFully(1 + 1536 * 2);
    if (s[0] != 3) {
      throw new IOException("S0 is " + s[0]);
    }
    byte[] c2 = new byte[1536];
    System.arraycopy(s, 1, c2, 0, 1536);
    send(c2);
    return this;
  }

  public RawRtmp send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  public byte[] readFully(int n) throws IOException {
    byte[] b = new byte[n];
    InputStream in = socket.getInputStream();
    int off = 0;
    while (off < n) {
      int r = in.read(b, off, n - off);
      if (r < 0) {
        throw new IOException("closed after " + off + " of " + n + " bytes");
      }
      off += r;
    }
    return b;
  }

  /** True when the server closes the connection within the socket timeout (bytes it sends first are skipped). */
  public boolean closedByServer() throws IOException {
    return closedByServer(socket);
  }

  /** Whether the server closes {@code socket} within its timeout, what it sends first skipped (also for {@link RawHttp}). */
  static boolean closedByServer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] sink = new byte[4096];
    try {
      while (true) {
        if (in.read(sink) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the server
    }
  }

  /** Bytes of one fmt-0 chunk: csid 3, message stream 0, the given type and declared length, then {@code body}. */
  public static byte[] chunk0(int typeId, int declaredLength, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(3); // fmt 0, csid 3
    out.write(0);
    out.write(0);
    out.write(0); // timestamp 0
    out.write(declaredLength >> 16);
    out.write(declaredLength >> 8);
    out.write(declaredLength);
    out.write(typeId);
    out.write(0);
    out.write(0);
    out.write(0);
    out.write(0); // stream id 0, little endian
    out.write(body, 0, body.length);
    return out.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
