package io.estuary.rtmp.impl;

import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishHoldTest {

  @Test
  void replaysInOrder() {
    PublishHold hold = new PublishHold(1000);
    DataMessage metadata = new DataMessage(1, 0, List.of("@setDataFrame", "onMetaData", 1.0));
    Media video = new Media(9, 1, 0, Unpooled.wrappedBuffer(new byte[] {0x17, 0}));
    hold.add(metadata);
    hold.add(video);
    List<RtmpMessage> replayed = new ArrayList<>();
    hold.replay(replayed::add);
    assertEquals(List.of(metadata, video), replayed);
    assertEquals(0, hold.size());
    assertTrue(video.release());
  }

  @Test
  void pastTheBoundThePublisherIsRefusedAndNothingLeaks() {
    PublishHold hold = new PublishHold(100);
    Media first = new Media(9, 1, 0, Unpooled.wrappedBuffer(new byte[60]));
    Media second = new Media(9, 1, 40, Unpooled.wrappedBuffer(new byte[60]));
    hold.add(first);
    RuntimeException e = assertThrows(RuntimeException.class, () -> hold.add(second));
    assertTrue(e.getMessage().contains("before its publish was authorized"), e.getMessage());
    hold.release();
    assertEquals(0, first.refCnt());
    assertEquals(0, second.refCnt());
    assertEquals(0, hold.size());
  }
}
