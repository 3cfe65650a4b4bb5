package io.estuary.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A hand-driven HTTP/1.1 client over a plain socket, as {@link RawRtmp} is for RTMP: to send the server exactly the
 * bytes a test wants (a request dribbled, an oversized header), from a chosen local address, and to stop reading.
 */
public final class RawHttp implements AutoCloseable {

  public final Socket socket;

  /** Connected to {@code 127.0.0.1:port}. */
  public RawHttp(int port) throws IOException {
    this(port, "127.0.0.1", 0);
  }

  /**
   * Connected to {@code 127.0.0.1:port} from {@code localAddress} (another loopback address, 127.0.0.2, is another
   * client IP to the server); {@code receiveBuffer} > 0 makes the socket's receive buffer that small (a player that
   * stops reading fills it soon).
   */
  public RawHttp(int port, String localAddress, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer); // before connect: the TCP window is agreed then
    }
    socket.bind(new InetSocketAddress(localAddress, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(15000);
  }

  /** A GET of {@code path} (with its leading slash), whole. */
  public RawHttp get(String path) throws IOException {
    return send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  }

  public RawHttp send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** The status line and headers of the response, up to the empty line (the body, if any, is left unread). */
  public String head() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head.size() + " bytes of the response head: " + head);
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** The status code of the response head {@link #head} read. */
  public static int status(String head) {
    return Integer.parseInt(head.substring(9, 12));
  }

  /** The first {@code n} bytes of a chunked body (a live stream's): its first chunk's size line skipped. */
  public String bodyStart(int n) throws IOException {
    InputStream in = socket.getInputStream();
    int b;
    while ((b = in.read()) != '\n') { // the chunk's size line ends with CRLF
      if (b < 0) {
        throw new IOException("closed before the first chunk");
      }
    }
    return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
  }

  /** True when the server closes the connection within the socket timeout (bytes it sends first are skipped). */
  public boolean closedByServer() throws IOException {
    return RawRtmp.closedByServer(socket);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
