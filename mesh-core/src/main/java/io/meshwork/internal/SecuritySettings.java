package io.meshwork.internal;

import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.MtlsMode;
import io.meshwork.transport.TlsCredentials;
import java.net.URI;
import java.time.Duration;

/**
 * The security part of a mesh's settings, checked as a whole by the builder: at most one of
 * {@code authority}, {@code certificates} and {@code credentials} (a control plane's), and credentials
 * whenever {@code mode} is not DISABLED. {@code revocationList} (nullable) goes with {@code certificates}.
 */
public record SecuritySettings(MtlsMode mode, CertificateAuthority authority, CertificateBundle certificates,
    Duration certificateTtl, TlsCredentials credentials, URI revocationList, Duration revocationRefresh) {}
