package io.estuary.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SRS's nginx-like configuration grammar into a {@link ConfDirective} tree.
 *
 * <pre>
 * name arg1 arg2 ...;                # a leaf
 * name args... { children }          # a block
 * include other.conf;                # spliced in place, relative to the including file
 * </pre>
 *
 * Arguments may be quoted with {@code "} or {@code '} (then they may hold spaces, {@code ;}, braces, and
 * newlines; a backslash escapes the quote or another backslash). {@code #} starts a comment when it begins
 * a token. As in SRS, a directive ends on the line it starts: a word on a later line before the {@code ;}
 * means the {@code ;} is missing. Only an opening brace may sit on the next line.
 */
public final class ConfParser {

  /** Deeper include nesting than this is taken to be an include cycle. */
  public static final int MAX_INCLUDE_DEPTH = 16;
  /** Blocks in one another (SRS's deepest is 4: vhost, transcode, engine, vparams); more is refused, not recursed. */
  public static final int MAX_BLOCK_DEPTH = 32;

  private ConfParser() {
  }

  /** Parses {@code file}; includes resolve against the file's directory. */
  public static ConfDirective parseFile(Path file) {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfException(name, 0, "file not found");
    } catch (IOException e) {
      throw new ConfException(name, 0, "cannot read: " + e.getMessage());
    }
    return parse(text, name, baseDirOf(file));
  }

  /**
   * Parses {@code text}, naming it {@code fileName} in errors; includes resolve against {@code baseDir}
   * (the working directory when {@code null}).
   */
  public static ConfDirective parse(String text, String fileName, Path baseDir) {
    List<ConfDirective> top = new ArrayList<>();
    parseInto(text, fileName, baseDir == null ? Path.of("") : baseDir, top, 0);
    return ConfDirective.block("", List.of(), top, fileName, 0);
  }

  static Path baseDirOf(Path file) {
    Path parent = file.getParent();
    return parent == null ? Path.of("") : parent;
  }

  private static void parseInto(String text, String fileName, Path baseDir, List<ConfDirective> out,
      int depth) {
    Lexer lexer = new Lexer(text, fileName);
    new Reader(lexer, baseDir, depth).readBlock(out, null);
  }

  private enum Kind { WORD, SEMICOLON, OPEN, CLOSE, EOF }

  /** {@code newline} is whether a line break came between the previous token and this one. */
  private record Token(Kind kind, String text, int line, boolean newline) {
  }

  /** Reads directives from one file's tokens. */
  private static final class Reader {
    private final Lexer lexer;
    private final Path baseDir;
    private final int depth;
    /** Blocks open around the directive being read. */
    private int nesting;

    Reader(Lexer lexer, Path baseDir, int depth) {
      this.lexer = lexer;
      this.baseDir = baseDir;
      this.depth = depth;
    }

    /** Reads directives into {@code out} up to the {@code }} closing {@code opener}, or to EOF at top. */
    void readBlock(List<ConfDirective> out, Token opener) {
      while (true) {
        Token t = lexer.next();
        switch (t.kind()) {
          case EOF -> {
            if (opener != null) {
              throw error(opener.line(), "block '" + opener.text() + "' opened here is never closed");
            }
            return;
          }
          case CLOSE -> {
            if (opener == null) {
              throw error(t.line(), "unexpected '}'");
            }
            return;
          }
          case SEMICOLON -> throw error(t.line(), "unexpected ';'");
          case OPEN -> throw error(t.line(), "unexpected '{' without a directive name");
          case WORD -> readDirective(t, out);
          default -> throw new IllegalStateException(t.kind().name());
        }
      }
    }

    private void readDirective(Token name, List<ConfDirective> out) {
      List<String> args = new ArrayList<>();
      while (true) {
        Token t = lexer.next();
        switch (t.kind()) {
          case WORD -> {
            if (t.newline()) {
              throw missingSemicolon(name);
            }
            args.add(t.text());
          }
          case SEMICOLON -> {
            if ("include".equals(name.text())) {
              include(name, args, out);
            } else {
              out.add(ConfDirective.leaf(name.text(), args, lexer.fileName, name.line()));
            }
            return;
          }
          case OPEN -> {
            if ("include".equals(name.text())) {
              throw error(name.line(), "include cannot open a block");
            }
            if (nesting == MAX_BLOCK_DEPTH) {
              throw error(name.line(), "blocks nested more than " + MAX_BLOCK_DEPTH + " deep");
            }
            List<ConfDirective> children = new ArrayList<>();
            nesting++;
            readBlock(children, name);
            nesting--;
            out.add(ConfDirective.block(name.text(), args, children, lexer.fileName, name.line()));
            return;
          }
          case CLOSE, EOF -> throw missingSemicolon(name);
          default -> throw new IllegalStateException(t.kind().name());
        }
      }
    }

    private void include(Token at, List<String> files, List<ConfDirective> out) {
      if (files.isEmpty()) {
        throw error(at.line(), "include needs a file name");
      }
      for (String file : files) {
        if (depth + 1 > MAX_INCLUDE_DEPTH) {
          throw error(at.line(), "include '" + file + "': nested more than " + MAX_INCLUDE_DEPTH
              + " deep (an include cycle?)");
        }
        Path path = baseDir.resolve(file).normalize();
        String text;
        try {
          text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          throw error(at.line(), "include '" + file + "': file not found");
        } catch (IOException e) {
          throw error(at.line(), "include '" + file + "': cannot read: " + e.getMessage());
        }
        parseInto(text, path.toString(), baseDirOf(path), out, depth + 1);
      }
    }

    private ConfException missingSemicolon(Token name) {
      return error(name.line(), "missing ';' after directive '" + name.text() + "'");
    }

    private ConfException error(int line, String reason) {
      return new ConfException(lexer.fileName, line, reason);
    }
  }

  /** Splits text into words, {@code ;}, braces; skips whitespace and comments; counts lines. */
  private static final class Lexer {
    private final String text;
    final String fileName;
    private int pos;
    private int line = 1;

    Lexer(String text, String fileName) {
      // Editors on Windows may start the file with a byte order mark.
      this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
      this.fileName = fileName;
    }

    Token next() {
      boolean newline = false;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '\n') {
          line++;
          newline = true;
          pos++;
        } else if (Character.isWhitespace(c)) {
          pos++;
        } else if (c == '#') {
          while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
          }
        } else {
          break;
        }
      }
      if (pos >= text.length()) {
        return new Token(Kind.EOF, "", line, newline);
      }
      char c = text.charAt(pos);
      switch (c) {
        case ';':
          pos++;
          return new Token(Kind.SEMICOLON, ";", line, newline);
        case '{':
          pos++;
          return new Token(Kind.OPEN, "{", line, newline);
        case '}':
          pos++;
          return new Token(Kind.CLOSE, "}", line, newline);
        case '"':
        case '\'':
          return quoted(c, newline);
        default:
          return word(newline);
      }
    }

    private Token word(boolean newline) {
      int start = pos;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (Character.isWhitespace(c) || c == ';' || c == '{' || c == '}') {
          break;
        }
        pos++;
      }
      return new Token(Kind.WORD, text.substring(start, pos), line, newline);
    }

    private Token quoted(char quote, boolean newline) {
      int startLine = line;
      StringBuilder sb = new StringBuilder();
      pos++;
      while (true) {
        if (pos >= text.length()) {
          throw new ConfException(fileName, startLine, "quoted string is never closed");
        }
        char c = text.charAt(pos++);
        if (c == quote) {
          break;
        }
        if (c == '\\' && pos < text.length()
            && (text.charAt(pos) == quote || text.charAt(pos) == '\\')) {
          c = text.charAt(pos++);
        } else if (c == '\n') {
          line++;
        }
        sb.append(c);
      }
      if (pos < text.length()) {
        char after = text.charAt(pos);
        if (!Character.isWhitespace(after) && after != ';' && after != '{' && after != '}') {
          throw new ConfException(fileName, line, "unexpected '" + after + "' after a quoted string");
        }
      }
      return new Token(Kind.WORD, sb.toString(), startLine, newline);
    }
  }
}
