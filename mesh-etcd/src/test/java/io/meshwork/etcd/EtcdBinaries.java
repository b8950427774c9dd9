package io.meshwork.etcd;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the etcd and etcdctl binaries, or says which Debian packages to install. */
final class EtcdBinaries {

  private EtcdBinaries() {}

  /** The etcd server binary. */
  static String etcd() {
    return find("etcd", "etcd-server");
  }

  /** The etcdctl client binary. */
  static String etcdctl() {
    return find("etcdctl", "etcd-client");
  }

  private static String find(String name, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin"
        + File.pathSeparator + "/usr/local/bin";
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException("'" + name + "' is not installed, and the mesh-etcd tests run a"
        + " real etcd: install the Debian packages etcd-server and etcd-client"
        + " (apt-get install -y etcd-server etcd-client), which provide " + name + " (from "
        + debianPackage + ")");
  }
}
