package io.meshwork.controlplane.server.api;

/**
 * Who is calling the API: an admin (the admin token, or an admin SPIFFE identity over mTLS), a
 * workload (a bootstrap token, or its own certificate over mTLS), or nobody known.
 *
 * @param kind which of the three
 * @param namespace a workload's namespace
 * @param service a workload's service, {@code *} for a token that allows any of its namespace
 */
record Caller(Kind kind, String namespace, String service) {

  static final Caller ADMIN = new Caller(Kind.ADMIN, null, null);
  static final Caller ANONYMOUS = new Caller(Kind.ANONYMOUS, null, null);

  enum Kind { ADMIN, WORKLOAD, ANONYMOUS }

  static Caller workload(String namespace, String service) {
    return new Caller(Kind.WORKLOAD, namespace, service);
  }

  boolean isAdmin() {
    return kind == Kind.ADMIN;
  }

  /** Whether it may act for the workload {@code namespace/service}: an admin, or that workload. */
  boolean mayActAs(String namespace, String service) {
    return kind == Kind.ADMIN || (kind == Kind.WORKLOAD && this.namespace.equals(namespace)
        && ("*".equals(this.service) || this.service.equals(service)));
  }

  @Override
  public String toString() {
    return kind == Kind.WORKLOAD ? "workload " + namespace + "/" + service : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
