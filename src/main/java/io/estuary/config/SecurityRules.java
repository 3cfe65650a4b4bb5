package io.estuary.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A vhost's {@code security { }} block, parsed and validated once per configuration load: whether it is enabled, and
 * its {@code deny} and {@code allow} rules in order. {@code io.estuary.access.Security} decides with them. Immutable.
 */
public record SecurityRules(boolean enabled, List<Rule> deny, List<Rule> allow) {

  /** Absent or disabled: everything is allowed. */
  public static final SecurityRules NONE = new SecurityRules(false, List.of(), List.of());

  /**
   * Reads the block as the config layer writes it: {@code enabled} a boolean (or "on"/"off"), and each of
   * {@code deny}/{@code allow} either one rule {@code ["publish","1.2.3.4"]} or, when repeated, an array of rules.
   * A malformed rule fails here, at config time, rather than refusing clients later.
   */
  public static SecurityRules fromJson(JsonObject block) {
    if (block == null || block.isEmpty() || !enabled(block.getValue("enabled"))) {
      return NONE;
    }
    return new SecurityRules(true, rules("deny", block.getValue("deny")), rules("allow", block.getValue("allow")));
  }

  private static boolean enabled(Object value) {
    if (value == null || value instanceof Boolean) {
      return Boolean.TRUE.equals(value); // SRS: security is off unless enabled
    }
    switch (value.toString().toLowerCase(Locale.ROOT)) {
      case "on", "yes", "true":
        return true;
      case "off", "no", "false":
        return false;
      default:
        throw new IllegalArgumentException("security: enabled '" + value + "' is not on|off");
    }
  }

  /** One directive is an array of strings; a repeated one an array of those. A bare string lost its subject. */
  private static List<Rule> rules(String directive, Object value) {
    if (value == null) {
      return List.of();
    }
    List<Rule> rules = new ArrayList<>();
    if (value instanceof JsonArray array && array.stream().anyMatch(e -> e instanceof JsonArray)) {
      for (Object each : array) {
        rules.add(Rule.parse(directive, each));
      }
    } else {
      rules.add(Rule.parse(directive, value));
    }
    return List.copyOf(rules);
  }

  /** The client's address; a zone ("%eth0") and brackets are dropped, ::ffff:a.b.c.d is the IPv4 a.b.c.d. */
  public static byte[] clientAddress(String ip) {
    if (ip == null) {
      return null;
    }
    String s = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
    int zone = s.indexOf('%');
    Cidr cidr = Cidr.address(zone >= 0 ? s.substring(0, zone) : s, -1);
    return cidr == null ? null : cidr.network;
  }

  /** One {@code allow} or {@code deny} rule; {@code cidr} is null for {@code all}. */
  public record Rule(String directive, String action, String subject, Cidr cidr) {

    /** Parses one rule's arguments; fails with {@code security: DIRECTIVE ARGS: reason}. */
    public static Rule parse(String directive, Object value) {
      List<String> args = new ArrayList<>();
      if (value instanceof JsonArray array) {
        array.forEach(a -> args.add(String.valueOf(a)));
      } else {
        args.add(String.valueOf(value));
      }
      String text = "security: " + directive + " " + String.join(" ", args);
      if (args.size() != 2) {
        throw new IllegalArgumentException(text + ": expects an action (publish|play) and all, an IP or a CIDR");
      }
      String action = args.get(0);
      if (!"publish".equals(action) && !"play".equals(action)) {
        throw new IllegalArgumentException(text + ": action must be publish or play");
      }
      String subject = args.get(1);
      if (subject.equals("all")) {
        return new Rule(directive, action, subject, null);
      }
      Cidr cidr = Cidr.parse(subject);
      if (cidr == null) {
        throw new IllegalArgumentException(text + ": not an IP address or CIDR");
      }
      return new Rule(directive, action, subject, cidr);
    }

    public boolean matches(byte[] client) {
      return cidr == null || cidr.contains(client);
    }

    @Override
    public String toString() {
      return directive + " " + action + " " + subject;
    }
  }

  /** An address (4 or 16 bytes) and how many leading bits count; an exact IP is a full-length prefix. */
  public record Cidr(byte[] network, int prefix) {

    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      if (slash < 0) {
        return address(text, -1);
      }
      String bits = text.substring(slash + 1);
      if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      return address(text.substring(0, slash), Integer.parseInt(bits));
    }

    /**
     * Parses the literal by hand: InetAddress would resolve a hostname through DNS, and accepts BSD forms such as
     * "1.2.3" that an operator almost certainly did not mean. {@code prefix} -1 means the whole address.
     */
    static Cidr address(String text, int prefix) {
      byte[] a = text.indexOf(':') >= 0 ? v6(text) : v4(text);
      if (a == null) {
        return null;
      }
      int max = a.length * 8;
      int p = prefix < 0 ? max : prefix;
      if (p > max) {
        return null;
      }
      // ::ffff:a.b.c.d is how a dual-stack socket reports an IPv4 client: treat it, and rules written so, as IPv4.
      if (a.length == 16 && p >= 96 && isV4Mapped(a)) {
        a = Arrays.copyOfRange(a, 12, 16);
        p -= 96;
      }
      for (int bit = p; bit < a.length * 8; bit++) { // 10.1.2.3/8 means 10.0.0.0/8
        a[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
      }
      return new Cidr(a, p);
    }

    boolean contains(byte[] client) {
      if (client == null || client.length != network.length) {
        return false; // an IPv4 rule never matches a native IPv6 client, nor the other way round
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (client[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest);
      return (client[whole] & mask) == (network[whole] & mask);
    }

    // ASCII only: Character.digit and Integer.parseInt would also take other scripts' digits.
    private static boolean isHex(int c) {
      return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static boolean isV4Mapped(byte[] a) {
      for (int i = 0; i < 10; i++) {
        if (a[i] != 0) {
          return false;
        }
      }
      return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /** Dotted quad, each part 1-3 decimal digits up to 255. */
    private static byte[] v4(String s) {
      String[] parts = s.split("\\.", -1);
      if (parts.length != 4) {
        return null;
      }
      byte[] a = new byte[4];
      for (int i = 0; i < 4; i++) {
        String p = parts[i];
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
          return null;
        }
        int n = Integer.parseInt(p);
        if (n > 255) {
          return null;
        }
        a[i] = (byte) n;
      }
      return a;
    }

    /** RFC 4291 2.2: eight hex groups, at most one "::" for a run of zeros, optionally a dotted quad last. */
    private static byte[] v6(String s) {
      int gap = s.indexOf("::");
      if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
        return null;
      }
      int[] head = groups(gap >= 0 ? s.substring(0, gap) : s, gap < 0);
      int[] tail = gap >= 0 ? groups(s.substring(gap + 2), true) : new int[0];
      if (head == null || tail == null || (gap < 0 ? head.length != 8 : head.length + tail.length > 7)) {
        return null;
      }
      byte[] a = new byte[16];
      for (int i = 0; i < head.length; i++) {
        a[2 * i] = (byte) (head[i] >> 8);
        a[2 * i + 1] = (byte) head[i];
      }
      for (int i = 0; i < tail.length; i++) {
        int at = 8 - tail.length + i;
        a[2 * at] = (byte) (tail[i] >> 8);
        a[2 * at + 1] = (byte) tail[i];
      }
      return a;
    }

    private static int[] groups(String s, boolean quadLast) {
      if (s.isEmpty()) {
        return new int[0];
      }
      String[] parts = s.split(":", -1);
      int[] out = new int[parts.length + 1];
      int n = 0;
      for (int i = 0; i < parts.length; i++) {
        String p = parts[i];
        if (quadLast && i == parts.length - 1 && p.indexOf('.') >= 0) {
          byte[] q = v4(p);
          if (q == null) {
            return null;
          }
          out[n++] = (q[0] & 0xff) << 8 | (q[1] & 0xff);
          out[n++] = (q[2] & 0xff) << 8 | (q[3] & 0xff);
        } else if (!p.isEmpty() && p.length() <= 4 && p.chars().allMatch(Cidr::isHex)) {
          out[n++] = Integer.parseInt(p, 16);
        } else {
          return null;
        }
      }
      return Arrays.copyOf(out, n);
    }
  }
}
