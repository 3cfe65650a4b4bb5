package io.estuary.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One directive of an SRS configuration: {@code name arg1 arg2;} (a leaf) or
 * {@code name args... { children }} (a block). The root of a parsed file is a block named {@code ""}.
 * Includes are already spliced in: each directive remembers the file and line it was read from.
 */
public final class ConfDirective {

  private final String name;
  private final List<String> args;
  private final List<ConfDirective> children;
  private final boolean block;
  private final String file;
  private final int line;

  public ConfDirective(String name, List<String> args, List<ConfDirective> children, boolean block,
      String file, int line) {
    this.name = name;
    this.args = List.copyOf(args);
    this.children = List.copyOf(children);
    this.block = block;
    this.file = file;
    this.line = line;
  }

  /** A leaf directive {@code name args...;}. */
  public static ConfDirective leaf(String name, List<String> args, String file, int line) {
    return new ConfDirective(name, args, List.of(), false, file, line);
  }

  /** A block directive {@code name args... { children }}. */
  public static ConfDirective block(String name, List<String> args, List<ConfDirective> children,
      String file, int line) {
    return new ConfDirective(name, args, children, true, file, line);
  }

  public String name() {
    return name;
  }

  public List<String> args() {
    return args;
  }

  /** The directives inside the braces; empty for a leaf. */
  public List<ConfDirective> children() {
    return children;
  }

  /** Whether this directive was written with braces (an empty block {@code x {}} is still a block). */
  public boolean isBlock() {
    return block;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  /** The first argument, or {@code null} when there is none. */
  public String arg0() {
    return args.isEmpty() ? null : args.get(0);
  }

  /** The first child named {@code name}, or {@code null}. SRS reads the first when a name repeats. */
  public ConfDirective child(String name) {
    for (ConfDirective c : children) {
      if (c.name.equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** Every child named {@code name}, in file order. */
  public List<ConfDirective> children(String name) {
    List<ConfDirective> found = new ArrayList<>();
    for (ConfDirective c : children) {
      if (c.name.equals(name)) {
        found.add(c);
      }
    }
    return found;
  }

  /** Where this directive is, as {@code file:line}. */
  public String location() {
    return file + ":" + line;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name);
    for (String a : args) {
      sb.append(' ').append(a);
    }
    return block ? sb.append(" { ").append(children.size()).append(" directives }").toString()
        : sb.append(';').toString();
  }
}
