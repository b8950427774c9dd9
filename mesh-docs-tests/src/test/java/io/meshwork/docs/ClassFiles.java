package io.meshwork.docs;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** The classes of a module, found from one class of it: its jar or its classes directory. */
final class ClassFiles {

  private ClassFiles() {}

  /** The binary names of the classes in {@code anyClass}'s jar (or directory). */
  static List<String> of(Class<?> anyClass) throws IOException, URISyntaxException {
    Path source = Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> entries;
    if (Files.isDirectory(source)) {
      try (Stream<Path> files = Files.walk(source)) {
        entries = files.map(path -> source.relativize(path).toString().replace('\\', '/')).toList();
      }
    } else {
      try (JarFile jar = new JarFile(source.toFile())) {
        entries = jar.stream().map(JarEntry::getName).toList();
      }
    }
    return entries.stream()
        .filter(name -> name.endsWith(".class") && !name.endsWith("module-info.class"))
        .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
        .toList();
  }
}
