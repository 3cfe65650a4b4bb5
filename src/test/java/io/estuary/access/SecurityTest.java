package io.estuary.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecurityTest {

  /** The block as the config layer writes it: one rule is ["publish","ip"], several an array of those. */
  private static Security security(String directive, String... rules) {
    return Security.fromJson(new JsonObject().put("enabled", true).put(directive, shape(rules)));
  }

  private static JsonArray rule(String text) {
    return new JsonArray(java.util.List.of((Object[]) text.split(" ")));
  }

  private static JsonArray shape(String... rules) {
    if (rules.length == 1) {
      return rule(rules[0]);
    }
    JsonArray all = new JsonArray();
    for (String r : rules) {
      all.add(rule(r));
    }
    return all;
  }

  @Test
  void absentEmptyOrDisabledAllowsEverything() {
    JsonObject denyAll = new JsonObject().put("deny", rule("publish all"));
    for (JsonObject block : new JsonObject[] {null, new JsonObject(), denyAll,
        denyAll.copy().put("enabled", false), denyAll.copy().put("enabled", "off")}) {
      Security security = Security.fromJson(block);
      assertTrue(security.allows("publish", "1.2.3.4"));
      assertTrue(security.allows("play", "::1"));
      assertNull(security.reason("publish", "1.2.3.4"));
    }
    assertFalse(Security.fromJson(denyAll.copy().put("enabled", "on")).allows("publish", "1.2.3.4"));
  }

  @Test
  void denyExactIpv4() {
    Security security = security("deny", "publish 1.2.3.4");
    assertFalse(security.allows("publish", "1.2.3.4"));
    assertTrue(security.allows("publish", "1.2.3.5"));
    assertTrue(security.allows("play", "1.2.3.4")); // a publish rule says nothing about play
    assertEquals("deny publish 1.2.3.4 matches 1.2.3.4", security.reason("publish", "1.2.3.4"));
  }

  @Test
  void allowCidrIpv4() {
    Security security = security("allow", "publish 10.0.0.0/8");
    assertTrue(security.allows("publish", "10.0.0.1"));
    assertTrue(security.allows("publish", "10.255.255.255"));
    assertFalse(security.allows("publish", "11.0.0.1"));
    assertFalse(security.allows("publish", "9.255.255.255"));
    assertEquals("no allow publish rule matches 11.0.0.1", security.reason("publish", "11.0.0.1"));
  }

  @Test
  void allowLoopbackOnlyLetsLocalPublishersIn() {
    Security security = security("allow", "publish 127.0.0.0/8");
    assertTrue(security.allows("publish", "127.0.0.1"));
    assertNull(security.reason("publish", "127.0.0.1"));
    assertFalse(security.allows("publish", "192.168.1.20"));
    assertFalse(security.allows("play", "192.168.1.20"), "SRS: any allow rule makes the allow list exclusive");
  }

  @Test
  void cidrWithHostBitsIsMasked() {
    Security security = security("allow", "publish 10.1.2.3/8", "play 192.168.1.77/25");
    assertTrue(security.allows("publish", "10.9.9.9"));
    assertTrue(security.allows("play", "192.168.1.0"));
    assertTrue(security.allows("play", "192.168.1.127"));
    assertFalse(security.allows("play", "192.168.1.128"));
  }

  @Test
  void denyBeatsAllow() {
    Security security = Security.fromJson(new JsonObject().put("enabled", true)
        .put("allow", rule("publish 10.0.0.0/8"))
        .put("deny", rule("publish 10.0.0.66")));
    assertTrue(security.allows("publish", "10.0.0.65"));
    assertFalse(security.allows("publish", "10.0.0.66"));
    assertEquals("deny publish 10.0.0.66 matches 10.0.0.66", security.reason("publish", "10.0.0.66"));
  }

  /** Bug 2: SRS's allow_check refuses a client that matches no allow rule whenever there is any allow rule. */
  @Test
  void anAllowRuleOfEitherActionRefusesWhatNoAllowRuleMatches() {
    Security security = security("allow", "play all");
    assertTrue(security.allows("play", "8.8.8.8"));
    assertFalse(security.allows("publish", "8.8.8.8"), "allow play all; alone refuses every publisher");
    assertFalse(security.allows("publish", "127.0.0.1"));
    assertEquals("no allow publish rule matches 127.0.0.1", security.reason("publish", "127.0.0.1"));

    Security cidr = security("allow", "play 10.0.0.0/8");
    assertFalse(cidr.allows("play", "8.8.8.8"));
    assertTrue(cidr.allows("play", "10.1.1.1"));
    assertFalse(cidr.allows("publish", "10.1.1.1"));
  }

  @Test
  void denyRulesOnlyLetTheRestIn() {
    Security security = security("deny", "play 10.0.0.1");
    assertTrue(security.allows("publish", "10.0.0.1"));
    assertTrue(security.allows("play", "10.0.0.2"));
  }

  @Test
  void enabledWithNoRulesRefusesEveryone() {
    Security security = Security.fromJson(new JsonObject().put("enabled", true));
    assertFalse(security.allows("publish", "127.0.0.1"));
    assertFalse(security.allows("play", "127.0.0.1"));
  }

  @Test
  void allMatchesEveryClient() {
    Security deny = security("deny", "play all");
    assertFalse(deny.allows("play", "1.2.3.4"));
    assertFalse(deny.allows("play", "2001:db8::1"));
    assertFalse(deny.allows("play", "not-an-ip"));
    assertEquals("deny play all matches ::1", deny.reason("play", "::1"));
    assertTrue(deny.allows("publish", "1.2.3.4"));

    Security allow = security("allow", "publish all", "play 10.0.0.1");
    assertTrue(allow.allows("publish", "203.0.113.9"));
    assertTrue(allow.allows("publish", "2001:db8::9"));
    assertFalse(allow.allows("play", "203.0.113.9"));
  }

  @Test
  void ipv6Exact() {
    Security security = security("deny", "publish ::1", "play 2001:db8::1");
    assertFalse(security.allows("publish", "::1"));
    assertFalse(security.allows("publish", "0:0:0:0:0:0:0:1")); // same address, other spelling
    assertFalse(security.allows("publish", "::1%lo")); // zone ignored
    assertFalse(security.allows("publish", "[::1]"));
    assertTrue(security.allows("publish", "::2"));
    assertTrue(security.allows("publish", "127.0.0.1")); // IPv6 loopback is not IPv4 loopback
    assertFalse(security.allows("play", "2001:DB8:0::1"));
    assertTrue(security.allows("play", "2001:db8::2"));
  }

  @Test
  void ipv6Cidr() {
    Security slash32 = security("allow", "publish 2001:db8::/32");
    assertTrue(slash32.allows("publish", "2001:db8::1"));
    assertTrue(slash32.allows("publish", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
    assertFalse(slash32.allows("publish", "fe80::2001:db8%eth0"));
    assertFalse(slash32.allows("publish", "2001:db9::1"));
    assertFalse(slash32.allows("publish", "10.0.0.1"));

    Security slash128 = security("allow", "publish 2001:db8::7/128");
    assertTrue(slash128.allows("publish", "2001:db8::7"));
    assertFalse(slash128.allows("publish", "2001:db8::8"));

    Security slash0 = security("allow", "publish ::/0");
    assertTrue(slash0.allows("publish", "2001:db8::1"));
    assertTrue(slash0.allows("publish", "::1"));
    assertFalse(slash0.allows("publish", "10.0.0.1")); // ::/0 is every IPv6 address, not every address
  }

  @Test
  void ipv4MappedClientMatchesIpv4Rules() {
    Security security = Security.fromJson(new JsonObject().put("enabled", true)
        .put("deny", rule("publish 1.2.3.4"))
        .put("allow", rule("publish 10.0.0.0/8")));
    assertFalse(security.allows("publish", "::ffff:1.2.3.4"));
    assertEquals("deny publish 1.2.3.4 matches ::ffff:1.2.3.4", security.reason("publish", "::ffff:1.2.3.4"));
    assertTrue(security.allows("publish", "::ffff:10.20.30.40"));
    assertTrue(security.allows("publish", "::FFFF:0a14:1e28")); // the same client in hex
    assertFalse(security.allows("publish", "::ffff:11.0.0.1"));

    // and a rule written in mapped form covers plain IPv4 clients
    Security mappedRule = security("deny", "play ::ffff:192.168.0.0/112");
    assertFalse(mappedRule.allows("play", "192.168.3.4"));
    assertTrue(mappedRule.allows("play", "192.169.0.1"));
  }

  @Test
  void singleAndRepeatedShapes() {
    Security single = Security.fromJson(new JsonObject()
        .put("enabled", true).put("deny", new JsonArray().add("publish").add("1.2.3.4")));
    assertFalse(single.allows("publish", "1.2.3.4"));
    assertTrue(single.allows("publish", "1.2.3.5"));

    Security repeated = Security.fromJson(new JsonObject().put("enabled", true)
        .put("deny", new JsonArray().add(new JsonArray().add("publish").add("1.2.3.4"))
            .add(new JsonArray().add("publish").add("1.2.3.5")))
        .put("allow", new JsonArray().add(new JsonArray().add("play").add("all"))
            .add(new JsonArray().add("publish").add("10.0.0.0/8"))));
    assertFalse(repeated.allows("publish", "1.2.3.4"));
    assertFalse(repeated.allows("publish", "1.2.3.5"));
    assertFalse(repeated.allows("publish", "1.2.3.6")); // not in 10/8
    assertTrue(repeated.allows("publish", "10.9.8.7"));
    assertTrue(repeated.allows("play", "1.2.3.6"));
  }

  @Test
  void unparsableClientOnlyMatchesAll() {
    Security allow = security("allow", "publish 10.0.0.0/8");
    assertFalse(allow.allows("publish", "garbage"));
    assertFalse(allow.allows("publish", null));
    Security deny = security("deny", "publish 10.0.0.0/8");
    assertTrue(deny.allows("publish", "garbage"));
  }

  @Test
  void malformedRulesFailAtConfigTime() {
    assertMalformed("security: deny publish 1.2.3: not an IP address or CIDR", "deny", rule("publish 1.2.3"));
    assertMalformed("security: allow play 10.0.0.0/33: not an IP address or CIDR", "allow", rule("play 10.0.0.0/33"));
    assertMalformed("security: allow play 2001:db8::/129: not an IP address or CIDR", "allow",
        rule("play 2001:db8::/129"));
    assertMalformed("security: deny play 1::2::3: not an IP address or CIDR", "deny", rule("play 1::2::3"));
    assertMalformed("security: deny play 256.1.1.1: not an IP address or CIDR", "deny", rule("play 256.1.1.1"));
    assertMalformed("security: deny play example.com: not an IP address or CIDR", "deny", rule("play example.com"));
    assertMalformed("security: deny play 10.0.0.0/: not an IP address or CIDR", "deny", rule("play 10.0.0.0/"));
    assertMalformed("security: allow stream all: action must be publish or play", "allow", rule("stream all"));
    assertMalformed("security: deny publish: expects an action (publish|play) and all, an IP or a CIDR", "deny",
        "publish");
    assertMalformed("security: deny publish 1.2.3.4 5.6.7.8: expects an action (publish|play) and all, an IP or a CIDR",
        "deny", rule("publish 1.2.3.4 5.6.7.8"));
    // a bad rule among good ones is still named
    assertMalformed("security: allow play 10.0.0.x: not an IP address or CIDR", "allow",
        new JsonArray().add(rule("publish all")).add(rule("play 10.0.0.x")));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Security.fromJson(new JsonObject().put("enabled", "maybe")));
    assertEquals("security: enabled 'maybe' is not on|off", e.getMessage());
  }

  private static void assertMalformed(String message, String directive, Object value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Security.fromJson(new JsonObject().put("enabled", true).put(directive, value)));
    assertEquals(message, e.getMessage());
  }
}
