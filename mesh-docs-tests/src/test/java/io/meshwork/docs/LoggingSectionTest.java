package io.meshwork.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwork.Mesh;
import io.meshwork.etcd.EtcdServiceRegistry;
import io.meshwork.netty.NettyTransport;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The user guide's "Logging" section names loggers that exist: the name of a static SLF4J logger of
 * the published modules' code, or a package that holds some.
 */
class LoggingSectionTest {

  private static final Path GUIDE = Path.of("docs/user-guide.md");
  private static final Pattern NAME = Pattern.compile("`(io\\.meshwork[\\w.]*)`");

  @Test
  void everyLoggerTheGuideNamesExists() throws Exception {
    List<String> names = loggerNames();
    assertFalse(names.isEmpty(), GUIDE + ": the Logging section lists no logger");
    Set<String> loggers = loggersOfTheCode();
    for (String name : names) {
      assertTrue(loggers.contains(name) || loggers.stream().anyMatch(logger -> logger.startsWith(name + ".")),
          GUIDE + ": the Logging section names " + name + ", which is no logger of the code (nor a package"
              + " of some): " + new TreeSet<>(loggers));
    }
  }

  /** The names of the static SLF4J loggers of the published modules' classes. */
  private static Set<String> loggersOfTheCode() throws Exception {
    Set<String> names = new HashSet<>();
    for (Class<?> module : List.of(Mesh.class, NettyTransport.class, EtcdServiceRegistry.class)) {
      for (String className : ClassFiles.of(module)) {
        for (Field field : Class.forName(className).getDeclaredFields()) {
          if (Modifier.isStatic(field.getModifiers()) && field.getType() == Logger.class) {
            field.setAccessible(true);
            names.add(((Logger) field.get(null)).getName());
          }
        }
      }
    }
    return names;
  }

  /** The names in the first column of the section's logger table. */
  private static List<String> loggerNames() {
    String guide = Markdown.read(GUIDE);
    int start = guide.indexOf("\n## Logging\n");
    assertTrue(start >= 0, GUIDE + " has no '## Logging' section");
    int end = guide.indexOf("\n## ", start + 1);
    List<String> names = new ArrayList<>();
    for (String line : guide.substring(start, end < 0 ? guide.length() : end).split("\n")) {
      if (line.startsWith("| `io.meshwork")) {
        Matcher m = NAME.matcher(line.split("\\|")[1]);
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }
}
