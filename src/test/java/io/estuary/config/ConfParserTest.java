package io.estuary.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfParserTest {

  private static ConfDirective parse(String text) {
    return ConfParser.parse(text, "x.conf", Path.of(""));
  }

  private static void assertError(String expected, String text) {
    ConfException e = assertThrows(ConfException.class, () -> ConfParser.parse(text, "conf/bad.conf", Path.of("")));
    assertEquals(expected, e.getMessage());
  }

  @Test
  void blocksNestedTooDeepAreRefusedWithTheirLine() {
    // 100,000 blocks in one another: a clear error at the block past the limit, not a StackOverflowError
    String deep = "a {\n".repeat(100_000) + "}\n".repeat(100_000);
    ConfException e = assertThrows(ConfException.class, () -> ConfParser.parse(deep, "conf/bad.conf", Path.of("")));
    assertEquals("conf/bad.conf:" + (ConfParser.MAX_BLOCK_DEPTH + 1) + ": blocks nested more than "
        + ConfParser.MAX_BLOCK_DEPTH + " deep", e.getMessage());
    parse("a {\n".repeat(ConfParser.MAX_BLOCK_DEPTH) + "}\n".repeat(ConfParser.MAX_BLOCK_DEPTH)); // at the limit: fine
  }

  @Test
  void leavesAndBlocksWithLines() {
    ConfDirective root = parse("""
        listen 1935 1936;
        vhost a.com {
            play { gop_cache on; }
        }
        empty {}
        """);
    assertEquals(3, root.children().size());
    ConfDirective listen = root.child("listen");
    assertEquals(List.of("1935", "1936"), listen.args());
    assertEquals("1935", listen.arg0());
    assertFalse(listen.isBlock());
    assertEquals(1, listen.line());
    assertEquals("x.conf", listen.file());

    ConfDirective vhost = root.child("vhost");
    assertTrue(vhost.isBlock());
    assertEquals("a.com", vhost.arg0());
    assertEquals(2, vhost.line());
    ConfDirective gop = vhost.child("play").child("gop_cache");
    assertEquals("on", gop.arg0());
    assertEquals(3, gop.line());

    ConfDirective empty = root.child("empty");
    assertTrue(empty.isBlock());
    assertTrue(empty.children().isEmpty());
    assertNull(empty.arg0());
    assertNull(root.child("nothing"));
  }

  @Test
  void commentsAndQuotedStrings() {
    ConfDirective root = parse("""
        # a comment line
        a 'a b' "x;y" "{ }";   # trailing comment with ; and { }
        b http://h/p#frag;
        c "it's" 'say "hi"' "back\\\\slash \\"q\\"";
        d "two
        lines";
        e 1;#comment right after
        """);
    assertEquals(List.of("a b", "x;y", "{ }"), root.child("a").args());
    assertEquals(List.of("http://h/p#frag"), root.child("b").args());
    assertEquals(List.of("it's", "say \"hi\"", "back\\slash \"q\""), root.child("c").args());
    assertEquals(List.of("two\nlines"), root.child("d").args());
    assertEquals(7, root.child("e").line());
  }

  @Test
  void braceMayOpenOnTheNextLine() {
    ConfDirective root = parse("vhost v\n{\n  a 1;\n}\n");
    assertEquals("1", root.child("vhost").child("a").arg0());
  }

  @Test
  void repeatedChildren() {
    ConfDirective root = parse("s { allow play all; deny publish 1.2.3.4; allow publish x; }");
    ConfDirective s = root.child("s");
    assertEquals(2, s.children("allow").size());
    assertEquals(List.of("publish", "x"), s.children("allow").get(1).args());
  }

  @Test
  void byteOrderMarkAndCrLf() {
    ConfDirective root = parse("\uFEFFlisten 1935;\r\nvhost v {\r\n  a 1;\r\n}\r\n");
    assertEquals("1935", root.child("listen").arg0());
    assertEquals(3, root.child("vhost").child("a").line());
  }

  @Test
  void emptyFileIsEmptyRoot() {
    assertTrue(parse("  # nothing\n\n").children().isEmpty());
  }

  @Test
  void missingSemicolonNamesTheDirective() {
    assertError("conf/bad.conf:7: missing ';' after directive 'chunk_size'",
        "listen 1935;\n\n\n\n\nvhost v {\n  chunk_size 4096\n  tcp_nodelay on;\n}\n");
  }

  @Test
  void missingSemicolonBeforeCloseOrEof() {
    assertError("conf/bad.conf:2: missing ';' after directive 'b'", "a {\nb 1 }\n");
    assertError("conf/bad.conf:1: missing ';' after directive 'listen'", "listen 1935");
  }

  @Test
  void unclosedBlockNamesWhereItOpened() {
    assertError("conf/bad.conf:3: block 'vhost' opened here is never closed",
        "listen 1935;\n\nvhost v {\n  play {\n  }\n");
  }

  @Test
  void unexpectedClose() {
    assertError("conf/bad.conf:9: unexpected '}'", "a 1;\n\n\n\n\nb {\n}\n\n}\n");
  }

  @Test
  void strayTokens() {
    assertError("conf/bad.conf:2: unexpected ';'", "a 1;\n;\n");
    assertError("conf/bad.conf:1: unexpected '{' without a directive name", "{ a 1; }");
    assertError("conf/bad.conf:2: quoted string is never closed", "a 1;\nb \"open;\n");
    assertError("conf/bad.conf:1: unexpected 'x' after a quoted string", "a \"q\"x;");
  }

  @Test
  void includeSplicesRelativeToTheIncludingFile() {
    ConfDirective root = ConfParser.parseFile(Path.of("src/test/resources/conf/include/main.conf"));
    assertEquals(List.of("listen", "chunk_size", "vhost"),
        root.children().stream().map(ConfDirective::name).toList());
    ConfDirective chunk = root.child("chunk_size");
    assertEquals(Path.of("src/test/resources/conf/include/sub/global.conf").toString(), chunk.file());
    assertEquals(2, chunk.line());
    ConfDirective play = root.child("vhost").child("play");
    ConfDirective mw = play.child("mw_latency");
    assertEquals("100", mw.arg0());
    assertEquals(Path.of("src/test/resources/conf/include/sub/more/play.conf").toString(), mw.file());
  }

  @Test
  void includeOfMissingFile() {
    ConfException e = assertThrows(ConfException.class,
        () -> ConfParser.parseFile(Path.of("src/test/resources/conf/include/missing.conf")));
    assertEquals(Path.of("src/test/resources/conf/include/missing.conf") + ":3: include 'sub/nope.conf': file not found",
        e.getMessage());
    assertEquals(3, e.line());
  }

  @Test
  void includeCycleIsStopped() {
    ConfException e = assertThrows(ConfException.class,
        () -> ConfParser.parseFile(Path.of("src/test/resources/conf/include/cycle.conf")));
    assertEquals(2, e.line());
    assertTrue(e.reason().startsWith("include 'cycle.conf': nested more than"), e.getMessage());
  }

  @Test
  void missingFile() {
    ConfException e = assertThrows(ConfException.class, () -> ConfParser.parseFile(Path.of("no/such.conf")));
    assertEquals(Path.of("no/such.conf") + ":0: file not found", e.getMessage());
  }
}
