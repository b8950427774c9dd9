package io.meshwork.etcd;

import io.meshwork.MeshException;

/**
 * etcd did not answer a register or deregister within the request timeout: every member is down,
 * unreachable or without a leader. Discovery keeps answering from the last known instances
 * meanwhile. Retryable; the change may or may not have reached etcd.
 */
public class EtcdUnavailableException extends MeshException {

  /** A failure concerning {@code service}, such as "etcd unreachable at [http://10.0.0.1:2379]: ...". */
  public EtcdUnavailableException(String service, String message, Throwable cause) {
    super(service, message, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
