package io.meshwork.netty.testing;

import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.ForwardingAuthority;
import java.math.BigInteger;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A CA that remembers every serial it was asked about. The transport asks whether a peer's
 * certificate is revoked at each handshake, so this is the set of certificates peers presented.
 */
public final class RecordingAuthority extends ForwardingAuthority {

  private final Set<BigInteger> checked = ConcurrentHashMap.newKeySet();

  /** Records the revocation checks made of {@code delegate}. */
  public RecordingAuthority(CertificateAuthority delegate) {
    super(delegate);
  }

  /** The serials whose revocation was checked: the certificates presented in handshakes. */
  public Set<BigInteger> checkedSerials() {
    return Set.copyOf(checked);
  }

  @Override
  public boolean isRevoked(BigInteger serial) {
    if (serial != null) {
      checked.add(serial);
    }
    return super.isRevoked(serial);
  }
}
