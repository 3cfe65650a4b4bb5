package io.estuary.bench;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The HTTP-FLV players' channel type, matching the event loops they are registered on: epoll when {@code Epoll.isAvailable()}, else NIO. The epoll classes are a runtime
 * dependency of the build (as for Vert.x's native transport), so they are looked up by name here.
 */
record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends SocketChannel> channelType) {

  /** The transport matching Vert.x's: epoll when Vert.x runs on its native transport, else NIO. */
  static Transport of(boolean nativeTransport) {
    return nativeTransport ? best() : nio();
  }

  static Transport best() {
    try {
      Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
      if ((Boolean) epoll.getMethod("isAvailable").invoke(null)) {
        IoHandlerFactory factory = (IoHandlerFactory) Class.forName("io.netty.channel.epoll.EpollIoHandler")
            .getMethod("newFactory").invoke(null);
        Class<? extends SocketChannel> type = Class.forName("io.netty.channel.epoll.EpollSocketChannel")
            .asSubclass(SocketChannel.class);
        return new Transport("epoll", factory, type);
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      // no native transport on this platform
    }
    return nio();
  }

  static Transport nio() {
    return new Transport("nio", NioIoHandler.newFactory(), NioSocketChannel.class);
  }
}
