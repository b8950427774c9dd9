package io.meshwork.controlplane.server.store;

import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** File permissions for secrets and state: readable and writable by the owner only. */
public final class OwnerOnly {

  /** {@code rw-------}, for files created with it. */
  public static final FileAttribute<?> FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  /** {@code rwx------}, for directories created with it. */
  public static final FileAttribute<?> DIRECTORY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private OwnerOnly() {}
}
