package io.estuary.access;

import io.estuary.config.SecurityRules;
import io.vertx.core.json.JsonObject;

/**
 * Who may publish and who may play, by client address, as SRS's {@code srs_app_security.cpp} decides it from a
 * vhost's {@code security} rules: a matching {@code deny} refuses; then, if the rules have any {@code allow} rule at
 * all (of either action), the client must match an {@code allow} rule of its own action; with {@code deny} rules
 * only, everything not denied passes; enabled with no rules at all, everyone is refused. Absent or disabled,
 * everything is allowed. Immutable, so any thread may ask.
 */
public final class Security {

  public static final String PUBLISH = "publish";
  public static final String PLAY = "play";

  private static final Security ALLOW_ALL = new Security(SecurityRules.NONE);

  private final SecurityRules rules;

  private Security(SecurityRules rules) {
    this.rules = rules;
  }

  public static Security of(SecurityRules rules) {
    return rules.enabled() ? new Security(rules) : ALLOW_ALL;
  }

  /** {@link SecurityRules#fromJson}, for a block not yet in a configuration snapshot. */
  public static Security fromJson(JsonObject block) {
    return of(SecurityRules.fromJson(block));
  }

  public boolean allows(String action, String ip) {
    return reason(action, ip) == null;
  }

  /** Why {@code ip} may not {@code action}, in one line; null when it may. */
  public String reason(String action, String ip) {
    if (!PUBLISH.equals(action) && !PLAY.equals(action)) {
      throw new IllegalArgumentException("security: action must be publish or play, not " + action);
    }
    if (!rules.enabled()) {
      return null;
    }
    byte[] client = SecurityRules.clientAddress(ip);
    for (SecurityRules.Rule rule : rules.deny()) {
      if (rule.action().equals(action) && rule.matches(client)) {
        return rule + " matches " + ip;
      }
    }
    for (SecurityRules.Rule rule : rules.allow()) {
      if (rule.action().equals(action) && rule.matches(client)) {
        return null;
      }
    }
    // SRS's allow_check: any allow rule, whatever its action, makes the allow list exclusive.
    if (!rules.allow().isEmpty()) {
      return "no allow " + action + " rule matches " + ip;
    }
    return rules.deny().isEmpty() ? "security is enabled with no rules" : null;
  }
}
