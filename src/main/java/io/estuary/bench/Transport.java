package io.estuary.bench;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The client transport: epoll when {@code Epoll.isAvailable()}, else NIO. The epoll classes are a runtime
 * dependency of the build (as for Vert.x's native transport), so they are looked up by name here.
 */
record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends SocketChannel> channelType) {

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
    return new Transport("nio", NioIoHandler.newFactory(), NioSocketChannel.class);
  }
}
