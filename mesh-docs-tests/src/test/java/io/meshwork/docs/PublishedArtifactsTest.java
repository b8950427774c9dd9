package io.meshwork.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What a user of the published modules gets: the BOM lists each of them at the project's version,
 * each jar carries an Automatic-Module-Name and ships with sources and javadoc jars and without test
 * or benchmark code, and their class path holds one version of Netty.
 */
class PublishedArtifactsTest {

  private static final String VERSION = projectVersion();
  private static final Pattern NETTY_JAR = Pattern.compile("netty-(?!tcnative)[a-z0-9-]+?-(\\d+\\.\\d+\\.\\d+\\.Final)");

  @Test
  void theModulesWithoutTheParentHaveTheProjectVersion() {
    // mesh-bom and this module have no parent, so a version bump must change them too.
    assertEquals(VERSION, System.getProperty("meshwork.version"), "mesh-docs-tests/pom.xml's version");
  }

  @Test
  void theBomListsEveryPublishedModuleAtTheProjectVersion() throws Exception {
    Document bom = xml(Markdown.root().resolve("mesh-bom/pom.xml"));
    assertEquals(VERSION, child(bom.getDocumentElement(), "version"), "mesh-bom's own version");
    TreeMap<String, String> listed = new TreeMap<>();
    NodeList dependencies = bom.getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      listed.put(child(dependency, "artifactId"), child(dependency, "version"));
    }
    TreeMap<String, String> expected = new TreeMap<>();
    publishedJarModules().forEach(module -> expected.put(module, VERSION));
    assertEquals(expected, listed, "mesh-bom/pom.xml must list every published module at " + VERSION);
  }

  @Test
  void everyPublishedJarIsComplete() throws Exception {
    Set<String> moduleNames = new HashSet<>();
    for (String module : publishedJarModules()) {
      Path target = Markdown.root().resolve(module).resolve("target");
      Path jar = target.resolve(module + "-" + VERSION + ".jar");
      assumeTrue(Files.exists(jar), "the jars are made by `package`: run this with `verify`");
      for (String classifier : List.of("sources", "javadoc")) {
        Path attached = target.resolve(module + "-" + VERSION + "-" + classifier + ".jar");
        assertTrue(Files.exists(attached), module + " has no " + classifier + " jar");
      }
      try (JarFile file = new JarFile(jar.toFile())) {
        String name = file.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
        assertTrue(name != null && name.matches("io\\.meshwork\\.[a-z]+"),
            module + ": Automatic-Module-Name " + name + " (expected: io.meshwork.<name>)");
        assertTrue(moduleNames.add(name), module + ": Automatic-Module-Name " + name + " is used twice");
        for (JarEntry entry : file.stream().toList()) {
          checkEntry(module, file, entry);
        }
      }
      try (JarFile javadoc = new JarFile(target.resolve(module + "-" + VERSION + "-javadoc.jar").toFile())) {
        assertTrue(javadoc.getEntry("index.html") != null, module + ": the javadoc jar has no index.html");
      }
    }
  }

  private static void checkEntry(String module, JarFile jar, JarEntry entry) throws IOException {
    String name = entry.getName();
    if (!name.endsWith(".class")) {
      return;
    }
    assertFalse(name.matches(".*(Test|Tests|Properties|TestCase)(\\$.*)?\\.class"), module + " holds a test class: " + name);
    assertFalse(name.startsWith("io/meshwork/bench/"), module + " holds benchmark code: " + name);
    if (!module.equals("mesh-testing")) {
      try (InputStream in = jar.getInputStream(entry)) {
        String constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        assertFalse(constants.contains("org/junit/") || constants.contains("org/assertj/"),
            module + ": " + name + " refers to a test library");
      }
    }
  }

  @Test
  void theUsersClassPathHoldsOneNettyVersion() {
    TreeMap<String, List<String>> versions = new TreeMap<>();
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : classPath.split(File.pathSeparator)) {
      Matcher m = NETTY_JAR.matcher(Path.of(entry).getFileName().toString());
      if (m.find()) {
        versions.computeIfAbsent(m.group(1), v -> new ArrayList<>()).add(entry);
      }
    }
    assertFalse(versions.isEmpty(), "no Netty jar on the class path: the check sees nothing");
    assertEquals(1, versions.size(), "Netty versions on a user's class path: " + versions);
  }

  /** The modules the root pom builds as jars that are deployed (not the demo, benchmarks or tests). */
  static List<String> publishedJarModules() throws Exception {
    Document root = xml(Markdown.root().resolve("pom.xml"));
    Set<String> published = new TreeSet<>();
    NodeList modules = root.getElementsByTagName("module");
    for (int i = 0; i < modules.getLength(); i++) {
      String module = modules.item(i).getTextContent().trim();
      Document pom = xml(Markdown.root().resolve(module).resolve("pom.xml"));
      Element project = pom.getDocumentElement();
      boolean jar = child(project, "packaging") == null || child(project, "packaging").equals("jar");
      NodeList skip = project.getElementsByTagName("maven.deploy.skip");
      boolean deployed = skip.getLength() == 0 || !skip.item(0).getTextContent().trim().equals("true");
      if (jar && deployed) {
        published.add(child(project, "artifactId"));
      }
    }
    return List.copyOf(published);
  }

  /** The version of the root pom, which every module shares. */
  static String projectVersion() {
    try {
      return child(xml(Markdown.root().resolve("pom.xml")).getDocumentElement(), "version");
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the root pom's version", e);
    }
  }

  private static Document xml(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  /** The text of {@code parent}'s direct child {@code name}, or null. */
  private static String child(Element parent, String name) {
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    return null;
  }
}
