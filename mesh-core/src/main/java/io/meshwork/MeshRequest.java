package io.meshwork;

import io.meshwork.security.WorkloadIdentity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable HTTP request sent through the mesh, or received by a {@link MeshHandler}.
 *
 * <p>Body arrays are taken as they are, not copied: do not change an array after handing it over.
 * {@link #body()} returns a copy; {@link #bodyBuffer()} a read-only view without copying.
 */
public final class MeshRequest {

  private static final byte[] NO_BODY = new byte[0];

  private final String method;
  private final String path;
  private final MeshHeaders headers;
  private final byte[] body;
  private final WorkloadIdentity peerIdentity;
  private final String remoteAddress;

  private MeshRequest(Builder b) {
    this.method = b.method;
    this.path = b.path;
    this.headers = b.headers;
    this.body = b.body;
    this.peerIdentity = b.peerIdentity;
    this.remoteAddress = b.remoteAddress;
  }

  /** A GET of {@code path}. */
  public static MeshRequest get(String path) {
    return builder().method("GET").path(path).build();
  }

  /** A POST of {@code body} to {@code path}. */
  public static MeshRequest post(String path, byte[] body) {
    return builder().method("POST").path(path).body(body).build();
  }

  /** A POST of a UTF-8 text body to {@code path}. */
  public static MeshRequest post(String path, String body) {
    return post(path, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A PUT of {@code body} to {@code path}. */
  public static MeshRequest put(String path, byte[] body) {
    return builder().method("PUT").path(path).body(body).build();
  }

  /** A PUT of a UTF-8 text body to {@code path}. */
  public static MeshRequest put(String path, String body) {
    return put(path, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A PATCH of {@code body} to {@code path}. */
  public static MeshRequest patch(String path, byte[] body) {
    return builder().method("PATCH").path(path).body(body).build();
  }

  /** A PATCH of a UTF-8 text body to {@code path}. */
  public static MeshRequest patch(String path, String body) {
    return patch(path, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A DELETE of {@code path}, with no body. */
  public static MeshRequest delete(String path) {
    return builder().method("DELETE").path(path).build();
  }

  /** A HEAD of {@code path}: the answer has the headers a GET would have, and no body. */
  public static MeshRequest head(String path) {
    return builder().method("HEAD").path(path).build();
  }

  /** An OPTIONS request for {@code path} ({@code "*"} is not a path: use "/" for the server). */
  public static MeshRequest options(String path) {
    return builder().method("OPTIONS").path(path).build();
  }

  /** A builder; method GET and path "/" unless set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this request. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.method = method;
    b.path = path;
    b.headers = headers;
    b.body = body;
    b.peerIdentity = peerIdentity;
    b.remoteAddress = remoteAddress;
    return b;
  }

  /** The method as sent, such as GET or POST; {@code get} is another method. */
  public String method() {
    return method;
  }

  /** The path with its query, starting with '/'. */
  public String path() {
    return path;
  }

  /** The header fields. */
  public MeshHeaders headers() {
    return headers;
  }

  /** The first value of a header, or {@code null}. */
  public String header(String name) {
    return headers.get(name);
  }

  /** A copy of the body; empty when there is none. */
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

  /**
   * The verified identity of the caller, on the inbound side of an mTLS connection; empty for
   * plaintext callers and on the outbound side.
   */
  public Optional<WorkloadIdentity> peerIdentity() {
    return Optional.ofNullable(peerIdentity);
  }

  /**
   * The caller's network address ({@code host:port}) on the inbound side, as the transport saw it;
   * empty on the outbound side. Rate limits key plaintext callers by its host.
   */
  public Optional<String> remoteAddress() {
    return Optional.ofNullable(remoteAddress);
  }

  /**
   * Whether repeating this request is safe (RFC 9110 9.2.2): GET, HEAD, OPTIONS, TRACE, PUT and
   * DELETE are, and so is any request that carries an {@code idempotency-key} header.
   */
  public boolean isIdempotent() {
    switch (method) {
      case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE":
        return true;
      default:
        return headers.contains("idempotency-key");
    }
  }

  @Override
  public String toString() {
    return method + " " + path;
  }

  /** Builds a {@link MeshRequest}; every value is checked when it is set. */
  public static final class Builder {
    private String method = "GET";
    private String path = "/";
    private MeshHeaders headers = MeshHeaders.empty();
    private byte[] body = NO_BODY;
    private WorkloadIdentity peerIdentity;
    private String remoteAddress;

    private Builder() {}

    /** The method, such as GET, kept as given: methods are case-sensitive (RFC 9110 9.1). */
    public Builder method(String method) {
      if (method == null || method.isEmpty() || !method.chars().allMatch(Builder::isMethodChar)) {
        throw new IllegalArgumentException("method: '" + method + "' (expected: a token such as GET)");
      }
      this.method = method;
      return this;
    }

    /** The path with its optional query; must start with '/' and hold no space or control. */
    public Builder path(String path) {
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException("path: '" + path + "' (expected: starts with '/')");
      }
      for (int i = 0; i < path.length(); i++) {
        char c = path.charAt(i);
        if (c <= ' ' || c == 0x7f) {
          throw new IllegalArgumentException(
              "path: '" + path + "' holds a space or control character at index " + i
                  + " (expected: percent-encoded)");
        }
      }
      this.path = path;
      return this;
    }

    /** Replaces the headers. */
    public Builder headers(MeshHeaders headers) {
      this.headers = Objects.requireNonNull(headers, "headers");
      return this;
    }

    /** Sets one header, replacing earlier values of the name. */
    public Builder header(String name, String value) {
      this.headers = headers.with(name, value);
      return this;
    }

    /** Adds one header, keeping earlier values of the name. */
    public Builder addHeader(String name, String value) {
      this.headers = headers.toBuilder().add(name, value).build();
      return this;
    }

    /** Removes every value of a header. */
    public Builder removeHeader(String name) {
      this.headers = headers.without(name);
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

    /** The caller's network address, {@code host:port}; set by the inbound side only. */
    public Builder remoteAddress(String address) {
      this.remoteAddress = address;
      return this;
    }

    /** The caller's verified identity; set by the inbound side only. */
    public Builder peerIdentity(WorkloadIdentity identity) {
      this.peerIdentity = identity;
      return this;
    }

    /** The request. */
    public MeshRequest build() {
      return new MeshRequest(this);
    }

    private static boolean isMethodChar(int c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    }
  }
}
