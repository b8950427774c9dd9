package io.meshwork.netty.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the outside programs interop tests run. A missing one fails the test with the Debian
 * package that provides it (CI installs them; skipping would hide a broken setup).
 */
public final class Binaries {

  private Binaries() {}

  /** /usr/sbin/nginx, from the Debian package nginx. */
  public static Path nginx() {
    return require("nginx", "nginx", Path.of("/usr/sbin/nginx"));
  }

  /** curl, from the Debian package curl. */
  public static Path curl() {
    return require("curl", "curl", Path.of("/usr/bin/curl"));
  }

  /** openssl, from the Debian package openssl. */
  public static Path openssl() {
    return require("openssl", "openssl", Path.of("/usr/bin/openssl"));
  }

  /** h2load, from the Debian package nghttp2-client. */
  public static Path h2load() {
    return require("h2load", "nghttp2-client", Path.of("/usr/bin/h2load"));
  }

  /** prometheus, from the Debian package prometheus. */
  public static Path prometheus() {
    return require("prometheus", "prometheus", Path.of("/usr/bin/prometheus"));
  }

  /** promtool, from the Debian package prometheus. */
  public static Path promtool() {
    return require("promtool", "prometheus", Path.of("/usr/bin/promtool"));
  }

  /** chromium, from the Debian package chromium. */
  public static Path chromium() {
    return require("chromium", "chromium", Path.of("/usr/bin/chromium"));
  }

  /** chromedriver, the WebDriver of chromium, from the Debian package chromium-driver. */
  public static Path chromedriver() {
    return require("chromedriver", "chromium-driver", Path.of("/usr/bin/chromedriver"));
  }

  private static Path require(String name, String debianPackage, Path usual) {
    if (Files.isExecutable(usual)) {
      return usual;
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(":")) {
        Path candidate = Path.of(dir, name);
        if (!dir.isEmpty() && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new AssertionError(name + " is missing (looked at " + usual + " and the PATH): install the"
        + " Debian package '" + debianPackage + "' (apt-get install -y " + debianPackage + ")");
  }
}
