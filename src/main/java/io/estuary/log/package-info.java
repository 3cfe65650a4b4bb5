/**
 * Logging helpers every package may use, depending on nothing of Estuary's: {@link io.estuary.log.RateLimitedLog}, the
 * budget under which a line that bad input may cause per frame or per client is logged.
 */
package io.estuary.log;
