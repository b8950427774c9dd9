package io.meshwork.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Maven snippets of the docs name modules that are published, at the project's version; a whole
 * pom.xml (the quickstart's) is well-formed and runs a class the same page declares.
 */
class DependencySnippetsTest {

  private static final String VERSION = PublishedArtifactsTest.projectVersion();
  private static final Pattern DEPENDENCY = Pattern.compile(
      "<groupId>io\\.meshwork</groupId>\\s*<artifactId>([\\w-]+)</artifactId>(?:\\s*(?:<!--.*?-->)?\\s*<version>([^<]+)</version>)?",
      Pattern.DOTALL);

  @Test
  void everyMeshworkDependencyOfTheDocsIsPublishedAtTheProjectVersion() throws Exception {
    List<String> published = new ArrayList<>(PublishedArtifactsTest.publishedJarModules());
    published.add("mesh-bom");
    int seen = 0;
    for (CodeBlock block : Markdown.blocks("xml")) {
      Matcher m = DEPENDENCY.matcher(block.code());
      while (m.find()) {
        seen++;
        assertTrue(published.contains(m.group(1)), block.where() + ": " + m.group(1)
            + " is not a published module " + published);
        if (m.group(2) != null) {
          assertEquals(VERSION, m.group(2), block.where() + ": the version of " + m.group(1));
        }
      }
    }
    assertTrue(seen >= 4, "the docs name Meshwork modules in Maven snippets (README, quickstart)");
  }

  @Test
  void theQuickstartPomIsWellFormedAndRunsTheQuickstartClass() throws Exception {
    Path quickstart = Path.of("docs/quickstart.md");
    List<CodeBlock> poms = Markdown.blocks(quickstart, "xml").stream()
        .filter(block -> block.code().contains("<project")).toList();
    assertEquals(1, poms.size(), quickstart + " shows one pom.xml");
    Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(poms.get(0).code().getBytes(StandardCharsets.UTF_8)))
        .getDocumentElement();
    NodeList mainClass = project.getElementsByTagName("mainClass");
    assertEquals(1, mainClass.getLength(), quickstart + ": the pom names the class exec:java runs");
    String main = mainClass.item(0).getTextContent().trim();
    String simpleName = main.substring(main.lastIndexOf('.') + 1);
    String pkg = main.substring(0, main.lastIndexOf('.'));
    boolean declared = Markdown.blocks(quickstart, "java").stream().anyMatch(block ->
        block.code().contains("package " + pkg + ";") && block.code().contains("class " + simpleName + " "));
    assertTrue(declared, quickstart + ": no Java block declares " + main);
    assertFalse(project.getElementsByTagName("dependency").getLength() == 0, quickstart + ": no dependencies");
  }
}
