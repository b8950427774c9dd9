package io.meshwork.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes authorization decisions and rate-limit refusals to the SLF4J logger {@value #LOGGER_NAME},
 * one line each: denials and refusals at INFO, allows at DEBUG (a busy service allows far more than
 * it denies). Route that logger to its own file to keep an audit trail.
 */
public final class AuditLog {

  /** The logger every decision is written to. */
  public static final String LOGGER_NAME = "io.meshwork.audit";

  private static final Logger log = LoggerFactory.getLogger(LOGGER_NAME);

  private AuditLog() {}

  /** Logs {@code decision} on a call from {@code caller} (null: plaintext) to {@code service}. */
  public static void record(Decision decision, WorkloadIdentity caller, String service, String method, String path) {
    if (decision.isDenied()) {
      if (log.isInfoEnabled()) {
        log.info(decision.auditLine(caller, service, method, path));
      }
    } else if (log.isDebugEnabled()) {
      log.debug(decision.auditLine(caller, service, method, path));
    }
  }

  /** Logs a request of {@code caller} (an identity or an address) refused by a rate limit. */
  public static void rateLimited(String caller, String service, String method, String path, String limit) {
    if (log.isInfoEnabled()) {
      int query = path.indexOf('?');
      log.info("decision=RATE_LIMITED caller=" + JsonText.quote(caller) + " service=" + JsonText.quote(service)
          + " method=" + JsonText.quote(method) + " path=" + JsonText.quote(query < 0 ? path : path.substring(0, query))
          + " limit=" + JsonText.quote(limit));
    }
  }
}
