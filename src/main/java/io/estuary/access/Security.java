package io.estuary.access;

import io.estuary.config.SecurityRules;
import io.vertx.core.json.JsonObject;

/**
 * Who may publish and who may play, by client address, as SRS's {@code srs_app_security.cpp} decides it from a
 * vhost's {@code security} rules: a matching {@code deny} refuses; then, if any {@code allow} rule exists for the
 * action, the client must match one of them; otherwise the client is allowed. Absent or disabled, everything is
 * allowed. Immutable, so any thread may ask.
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

  public static Security allowAll() {
    return ALLOW_ALL;
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
    boolean anyAllow = false;
    for (SecurityRules.Rule rule : rules.allow()) {
      if (rule.action().equals(action)) {
        if (rule.matches(client)) {
          return null;
        }
        anyAllow = true;
      }
    }
    return anyAllow ? "no allow " + action + " rule matches " + ip : null;
  }
}
