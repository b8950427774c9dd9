package io.meshwork.netty.testing.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps every module of the build whose tests run Netty under the same leak detection as this one:
 * the extension from mesh-netty's test jar on its test class path and auto-detection switched on. A
 * new module (or a new dependency that brings Netty) without them fails here, by name.
 */
class EveryNettyModuleDetectsLeaksTest {

  /** Artifacts that put Netty on a class path: Netty itself, and what runs on it. */
  private static final Pattern BRINGS_NETTY = Pattern.compile(
      "<groupId>(io\\.netty|io\\.etcd|io\\.grpc|io\\.vertx|com\\.linecorp\\.armeria)</groupId>"
          + "|<artifactId>mesh-(netty|etcd|controlplane|examples|bench)</artifactId>");
  private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

  @Test
  void everyModuleWhoseTestsRunNettyFailsOnLeaks() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> checked = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Matcher modules = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
    while (modules.find()) {
      Path module = root.resolve(modules.group(1));
      if (!Files.isDirectory(module.resolve("src/test/java")) || module.getFileName().toString().equals("mesh-netty")) {
        continue;
      }
      String pom = dependencies(Files.readString(module.resolve("pom.xml")));
      if (!BRINGS_NETTY.matcher(pom).find()) {
        continue;
      }
      checked.add(module.getFileName().toString());
      if (!hasLeakExtension(pom)) {
        missing.add(module.getFileName() + ": no test-scoped dependency on mesh-netty's test-jar");
      }
      if (!autodetects(module.resolve("src/test/resources/junit-platform.properties"))) {
        missing.add(module.getFileName() + ": src/test/resources/junit-platform.properties does not set"
            + " junit.jupiter.extensions.autodetection.enabled=true");
      }
    }
    assertThat(checked).as("modules whose tests run Netty").contains("mesh-etcd", "mesh-controlplane");
    assertThat(missing).as("modules that would miss a leak").isEmpty();
    // And this module itself registers the extension for ServiceLoader.
    assertThat(autodetects(Path.of("src/test/resources/junit-platform.properties"))).isTrue();
    assertThat(Files.readString(Path.of("src/test/resources/META-INF/services/org.junit.jupiter.api.extension.Extension")))
        .contains("io.meshwork.netty.testing.LeakDetectionExtension");
  }

  private static String dependencies(String pom) {
    StringBuilder all = new StringBuilder();
    Matcher dependency = DEPENDENCY.matcher(pom);
    while (dependency.find()) {
      all.append("<dependency>").append(dependency.group(1)).append("</dependency>\n");
    }
    return all.toString();
  }

  private static boolean hasLeakExtension(String dependencies) {
    Matcher dependency = DEPENDENCY.matcher(dependencies);
    while (dependency.find()) {
      String body = dependency.group(1);
      if (body.contains("<artifactId>mesh-netty</artifactId>") && body.contains("<type>test-jar</type>")
          && body.contains("<scope>test</scope>")) {
        return true;
      }
    }
    return false;
  }

  private static boolean autodetects(Path properties) throws IOException {
    if (!Files.exists(properties)) {
      return false;
    }
    Properties values = new Properties();
    try (var reader = Files.newBufferedReader(properties)) {
      values.load(reader);
    }
    return "true".equals(values.getProperty("junit.jupiter.extensions.autodetection.enabled"));
  }
}
