package io.estuary.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A vhost's security rules are checked where they are written: file:line: reason, before anything uses them. */
class SecurityRulesTest {

  private static String vhost(String rules) {
    return "vhost v {\n    security {\n        enabled on;\n        " + rules + "\n    }\n}\n";
  }

  private static SecurityRules read(String rules) {
    return Vhosts.fromConfig(SrsConf.read(vhost(rules), "x.conf", Path.of(""), Map.of()).config())
        .resolve("v").security();
  }

  private static void assertRefused(String expected, String rules) {
    ConfException e = assertThrows(ConfException.class,
        () -> SrsConf.read(vhost(rules), "x.conf", Path.of(""), Map.of()));
    assertEquals(expected, e.getMessage());
  }

  @Test
  void aMalformedRuleIsRefusedWithFileLineAndReason() {
    assertRefused("x.conf:4: security.deny: publish 1.2.3: not an IP address or CIDR", "deny publish 1.2.3;");
    assertRefused("x.conf:4: security.allow: push all: action must be publish or play", "allow push all;");
    assertRefused("x.conf:4: security.allow: play 10.0.0.0/33: not an IP address or CIDR", "allow play 10.0.0.0/33;");
    assertRefused("x.conf:4: security.allow: play ::1/129: not an IP address or CIDR", "allow play ::1/129;");
    assertRefused("x.conf:4: security.deny: play: expects an action (publish|play) and all, an IP or a CIDR",
        "deny play;");
  }

  @Test
  void theRuleOnItsOwnLineIsNamed() {
    assertRefused("x.conf:5: security.allow: play 10.0.0.0/33: not an IP address or CIDR",
        "allow publish all;\n        allow play 10.0.0.0/33;");
  }

  @Test
  void goodRulesPassTyped() {
    SecurityRules rules = read("""
        deny publish 1.2.3.4;
                deny play 2001:db8::1;
                allow play all;
                allow publish 10.0.0.0/8;
                allow publish fd00::/8;
                allow play ::ffff:192.168.0.1;
        """);
    assertTrue(rules.enabled());
    assertEquals(List.of("deny publish 1.2.3.4", "deny play 2001:db8::1"),
        rules.deny().stream().map(SecurityRules.Rule::toString).toList());
    assertEquals(List.of("allow play all", "allow publish 10.0.0.0/8", "allow publish fd00::/8",
        "allow play ::ffff:192.168.0.1"), rules.allow().stream().map(SecurityRules.Rule::toString).toList());
    assertTrue(rules.allow().get(1).matches(SecurityRules.clientAddress("10.1.2.3")));
    assertTrue(rules.allow().get(2).matches(SecurityRules.clientAddress("fd12::5")));
    assertTrue(rules.deny().get(0).matches(SecurityRules.clientAddress("::ffff:1.2.3.4")), "IPv4-mapped is IPv4");
  }
}
