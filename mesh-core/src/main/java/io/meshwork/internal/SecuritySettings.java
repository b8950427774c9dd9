package io.meshwork.internal;

import io.meshwork.security.CertificateAuthority;
import io.meshwork.security.CertificateBundle;
import io.meshwork.security.MtlsMode;
import java.time.Duration;

/**
 * The security part of a mesh's settings, checked as a whole by the builder: at most one of
 * {@code authority} and {@code certificates}, and credentials whenever {@code mode} is not DISABLED.
 */
public record SecuritySettings(MtlsMode mode, CertificateAuthority authority, CertificateBundle certificates,
    Duration certificateTtl) {}
