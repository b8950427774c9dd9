package io.meshwork;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An immutable HTTP response. Body arrays are taken as they are, not copied: do not change an array
 * after handing it over. {@link #body()} returns a copy; {@link #bodyBuffer()} a read-only view.
 */
public final class MeshResponse {

  private static final byte[] NO_BODY = new byte[0];

  private final int status;
  private final MeshHeaders headers;
  private final byte[] body;
  private final int attempts;

  private MeshResponse(int status, MeshHeaders headers, byte[] body, int attempts) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.attempts = attempts;
  }

  /** A 200 response with a UTF-8 text body. */
  public static MeshResponse ok(String body) {
    return builder().status(200).header("content-type", "text/plain; charset=utf-8").body(body).build();
  }

  /** A response of the status with no body. */
  public static MeshResponse of(int status) {
    return builder().status(status).build();
  }

  /** A builder; status 200 unless set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The status code, 100 to 599. */
  public int status() {
    return status;
  }

  /** Whether the status is 2xx. */
  public boolean isSuccessful() {
    return status >= 200 && status < 300;
  }

  /**
   * How many attempts the mesh sent to get this response (as Envoy's {@code x-envoy-attempt-count}):
   * 1 when the first attempt answered; attempts refused locally (an open circuit, a limit) are not
   * counted. 1 for a response that did not come through a mesh call.
   */
  public int attempts() {
    return attempts;
  }

  /** This response, saying it took {@code attempts} attempts; the mesh sets it. */
  public MeshResponse withAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts: " + attempts + " (expected: >= 1)");
    }
    return attempts == this.attempts ? this : new MeshResponse(status, headers, body, attempts);
  }

  /** A builder that starts from this response. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.status = status;
    b.headers = headers;
    b.body = body;
    return b;
  }

  /** Whether the status is 5xx, which the mesh counts as a failure of the instance by default. */
  public boolean isServerError() {
    return status >= 500;
  }

  /** The header fields. */
  public MeshHeaders headers() {
    return headers;
  }

  /** The first value of a header, or {@code null}. */
  public String header(String name) {
    return headers.get(name);
  }

  /** A copy of the body. */
  public byte[] body() {
    return body.clone();
  }

  /** A read-only view of the body, without copying. */
  public ByteBuffer bodyBuffer() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer();
  }

  /** The body length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /** The body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "MeshResponse{status=" + status + ", body=" + body.length + " bytes"
        + (attempts > 1 ? ", attempts=" + attempts : "") + "}";
  }

  /** Builds a {@link MeshResponse}. */
  public static final class Builder {
    private int status = 200;
    private MeshHeaders headers = MeshHeaders.empty();
    private byte[] body = NO_BODY;

    private Builder() {}

    /** The status code, 100 to 599. */
    public Builder status(int status) {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
      }
      this.status = status;
      return this;
    }

    /** Replaces the headers. */
    public Builder headers(MeshHeaders headers) {
      this.headers = Objects.requireNonNull(headers, "headers");
      return this;
    }

    /** Sets one header, replacing earlier values of the name. */
    public Builder header(String name, String value) {
      this.headers = headers.toBuilder().set(name, value).build();
      return this;
    }

    /** Adds one header, keeping earlier values of the name. */
    public Builder addHeader(String name, String value) {
      this.headers = headers.toBuilder().add(name, value).build();
      return this;
    }

    /** The body, used as it is (not copied). */
    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body, "body");
      return this;
    }

    /** A UTF-8 text body. */
    public Builder body(String body) {
      return body(body.getBytes(StandardCharsets.UTF_8));
    }

    /** The response. */
    public MeshResponse build() {
      return new MeshResponse(status, headers, body, 1);
    }
  }
}
