package io.meshwork.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java block of README.md and docs/*.md compiles against the published modules with only the
 * imports it shows, so the docs cannot drift from the API; blocks marked
 * {@code <!-- snippet: run -->} (the README's example, the quickstart) also run and must not throw.
 */
class DocSnippetsTest {

  @TempDir
  Path work;

  @TestFactory
  Stream<DynamicTest> everyJavaBlockCompiles() {
    SnippetCompiler compiler = new SnippetCompiler(work);
    List<DynamicTest> tests = new ArrayList<>();
    List<CodeBlock> blocks = Markdown.blocks("java");
    for (int i = 0; i < blocks.size(); i++) {
      CodeBlock block = blocks.get(i);
      String name = "Snippet" + i;
      tests.add(DynamicTest.dynamicTest(block.where() + (block.runs() ? " compiles and runs" : " compiles"), () -> {
        SnippetCompiler.Compiled compiled = compiler.compile(block, name);
        if (block.runs()) {
          try {
            compiled.run();
          } catch (Throwable e) {
            throw new AssertionError(block.where() + " compiles but fails when run", e);
          }
        }
      }));
    }
    return tests.stream();
  }

  @Test
  void theReadmeExampleAndTheQuickstartAreRun() {
    for (String file : List.of("README.md", "docs/quickstart.md")) {
      List<CodeBlock> blocks = Markdown.blocks(Path.of(file), "java");
      assertFalse(blocks.isEmpty(), file + " has no Java block");
      assertTrue(blocks.stream().anyMatch(CodeBlock::runs),
          file + " has no Java block marked <!-- snippet: run --> right above its fence");
    }
  }

  @Test
  void anUncompilableBlockIsCaughtWithItsDocLine() {
    // The guide once said .loadBalancer(LoadBalancer.peakEwma()), which does not compile.
    CodeBlock wrong = new CodeBlock(Path.of("docs/example.md"), 10, "java", """
        import io.meshwork.loadbalancer.LoadBalancer;
        import io.meshwork.policy.ServicePolicy;

        ServicePolicy policy = ServicePolicy.builder()
            .loadBalancer(LoadBalancer.peakEwma())
            .build();
        """, "");
    AssertionError error = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> new SnippetCompiler(work).compile(wrong, "Wrong"));
    assertTrue(error.getMessage().contains("docs/example.md:14: "), error.getMessage());
  }

  @Test
  void aBlockMissingAnImportIsCaught() {
    CodeBlock wrong = new CodeBlock(Path.of("docs/example.md"), 1, "java", """
        MeshRequest request = MeshRequest.get("/users/1");
        """, "");
    AssertionError error = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> new SnippetCompiler(work).compile(wrong, "NoImport"));
    assertTrue(error.getMessage().contains("docs/example.md:1: cannot find symbol"), error.getMessage());
  }
}
