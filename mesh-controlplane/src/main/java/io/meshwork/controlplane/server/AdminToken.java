package io.meshwork.controlplane.server;

import io.meshwork.controlplane.server.store.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The admin token: read from its file, or made (256 random bits) and written to it, readable by its
 * owner only, when the file does not exist. The token itself is never printed or logged.
 */
final class AdminToken {

  private AdminToken() {}

  /** The token in {@code file}, made now if the file does not exist. */
  static String readOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = "mwa_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.exists(parent)) {
          Files.createDirectories(parent, OwnerOnly.DIRECTORY);
        }
        try {
          Files.createFile(file, OwnerOnly.FILE);
          Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
          return token;
        } catch (FileAlreadyExistsException raced) {
          // another controller made it first: read theirs below
        }
      }
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
        throw new IllegalStateException("admin token file " + file + " is readable by others"
            + " (expected: owner-only permissions; chmod 600 " + file + ")");
      }
      String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (token.length() < 16 || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new IllegalStateException("admin token file " + file + " holds no usable token (expected: one line"
            + " of at least 16 printable characters)");
      }
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the admin token file " + file, e);
    }
  }
}
