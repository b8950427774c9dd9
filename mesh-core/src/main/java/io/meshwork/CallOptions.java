package io.meshwork;

import io.meshwork.resilience.RetryPolicy;
import io.meshwork.tracing.TraceContext;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of one call, or the defaults of a {@link ServiceClient}: a timeout shorter or longer than
 * the destination policy's, a hash key for consistent hashing and sticky splits, a retry policy
 * that replaces the destination's, extra request headers, and the trace the call continues (when it
 * is not the inbound request's). Immutable; unset fields leave the policy's choice in force.
 *
 * <pre>{@code
 * CallOptions options = CallOptions.builder().timeout(Duration.ofMillis(300)).hashKey(userId).build();
 * mesh.call("user-service", MeshRequest.get("/users/" + userId), options);
 * }</pre>
 */
public final class CallOptions {

  private static final CallOptions NONE = new CallOptions(null, null, null, MeshHeaders.empty(), null);

  private final Duration timeout;
  private final String hashKey;
  private final RetryPolicy retry;
  private final MeshHeaders headers;
  private final TraceContext traceContext;

  private CallOptions(Duration timeout, String hashKey, RetryPolicy retry, MeshHeaders headers,
      TraceContext traceContext) {
    this.timeout = timeout;
    this.hashKey = hashKey;
    this.retry = retry;
    this.headers = headers;
    this.traceContext = traceContext;
  }

  /** No option set: the destination's policy decides everything. */
  public static CallOptions none() {
    return NONE;
  }

  /** A builder with no option set. */
  public static Builder builder() {
    return new Builder(NONE);
  }

  /** A builder that starts from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The call's overall timeout, or null to use the policy's. */
  public Duration timeout() {
    return timeout;
  }

  /** The key of consistent hashing and sticky splits, or null to use the policy's key. */
  public String hashKey() {
    return hashKey;
  }

  /** The retry policy that replaces the destination's for this call, or null. */
  public RetryPolicy retry() {
    return retry;
  }

  /** Headers added to the request (replacing fields of the same name); empty when none. */
  public MeshHeaders headers() {
    return headers;
  }

  /**
   * The trace the call continues, its span a child of this context; null to continue the inbound
   * request being handled (or start a new trace).
   */
  public TraceContext traceContext() {
    return traceContext;
  }

  /**
   * These options over {@code defaults}: each field set here wins, headers set here replace those
   * of the same name in the defaults.
   */
  public CallOptions over(CallOptions defaults) {
    if (defaults == NONE || defaults == this) {
      return this;
    }
    if (this == NONE) {
      return defaults;
    }
    MeshHeaders merged = headers;
    if (!defaults.headers.isEmpty()) {
      MeshHeaders.Builder builder = defaults.headers.toBuilder();
      for (String name : headers.names()) {
        builder.remove(name);
      }
      merged = builder.addAll(headers).build();
    }
    return new CallOptions(timeout != null ? timeout : defaults.timeout,
        hashKey != null ? hashKey : defaults.hashKey, retry != null ? retry : defaults.retry, merged,
        traceContext != null ? traceContext : defaults.traceContext);
  }

  @Override
  public String toString() {
    return "CallOptions{timeout=" + timeout + ", hashKey=" + hashKey + ", retry=" + (retry != null)
        + ", headers=" + headers + (traceContext == null ? "" : ", trace=" + traceContext) + "}";
  }

  /** Builds {@link CallOptions}; each value is checked when it is set. */
  public static final class Builder {
    private Duration timeout;
    private String hashKey;
    private RetryPolicy retry;
    private MeshHeaders.Builder headers;
    private TraceContext traceContext;

    private Builder(CallOptions from) {
      this.timeout = from.timeout;
      this.hashKey = from.hashKey;
      this.retry = from.retry;
      this.headers = from.headers.toBuilder();
      this.traceContext = from.traceContext;
    }

    /** The call's overall timeout, retries and backoff included; > 0. */
    public Builder timeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("timeout: " + value + " (expected: > 0)");
      }
      this.timeout = value;
      return this;
    }

    /** The key consistent hashing and sticky splits use for this call (a user id, say). */
    public Builder hashKey(String value) {
      this.hashKey = Objects.requireNonNull(value, "hashKey");
      return this;
    }

    /** A retry policy that replaces the destination's for this call. */
    public Builder retry(RetryPolicy value) {
      this.retry = Objects.requireNonNull(value, "retry");
      return this;
    }

    /** A header set on the request, replacing fields of the same name. */
    public Builder header(String name, String value) {
      headers.set(name, value);
      return this;
    }

    /**
     * The trace the call continues (from a message, a job, a request the mesh did not receive),
     * such as {@code TraceContext.parse(traceparent, List.of())}.
     */
    public Builder traceContext(TraceContext value) {
      this.traceContext = Objects.requireNonNull(value, "traceContext");
      return this;
    }

    /** The options. */
    public CallOptions build() {
      MeshHeaders built = headers.build();
      if (timeout == null && hashKey == null && retry == null && built.isEmpty() && traceContext == null) {
        return NONE;
      }
      return new CallOptions(timeout, hashKey, retry, built, traceContext);
    }
  }
}
