package io.estuary.rtmp.codec;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.ArrayList;
import java.util.List;

/** Last handler of a test pipeline: records user events and exceptions, lets messages through to the channel. */
final class Recorder extends ChannelInboundHandlerAdapter {
  final List<Object> events = new ArrayList<>();
  final List<Throwable> exceptions = new ArrayList<>();

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    events.add(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    exceptions.add(cause);
  }
}
