package io.meshwork.docs;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Compiles a Java block of the docs as a reader would paste it: with the imports it shows and nothing
 * else. A block that declares a type is a source file of its own; any other block is a sequence of
 * statements, compiled as the body of a method {@code run()} of a class in no package.
 */
final class SnippetCompiler {

  private static final Pattern TYPE = Pattern.compile(
      "^(?:@\\w+(?:\\([^)]*\\))?\\s+)*(?:public\\s+)?(?:final\\s+|abstract\\s+)?(class|record|interface|enum)\\s+(\\w+)",
      Pattern.MULTILINE);
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);

  private final Path work;

  SnippetCompiler(Path work) {
    this.work = work;
  }

  /** A compiled block: the class to load and how to run it. */
  record Compiled(Path classes, String className, boolean statements) {

    /** Runs the block: {@code run()} for statements, else {@code main(String[])}, else its JUnit tests. */
    void run() throws Throwable {
      try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
          SnippetCompiler.class.getClassLoader())) {
        Class<?> type = loader.loadClass(className);
        try {
          if (statements) {
            Method run = type.getDeclaredMethod("run");
            run.setAccessible(true);
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            run.invoke(constructor.newInstance());
          } else if (Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals("main"))) {
            Method main = type.getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
          } else {
            runTests(type);
          }
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }
    }
  }

  /** Runs a JUnit 5 test class; every test must pass, and there must be some. */
  private static void runTests(Class<?> type) {
    EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
        .selectors(DiscoverySelectors.selectClass(type)).execute();
    List<String> failures = results.testEvents().failed().stream()
        .map(event -> event.getTestDescriptor().getDisplayName() + ": "
            + event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                .map(Throwable::toString).orElse("failed"))
        .toList();
    if (!failures.isEmpty()) {
      throw new AssertionError(type.getSimpleName() + ": tests failed: " + failures);
    }
    if (results.testEvents().succeeded().count() == 0) {
      throw new AssertionError(type.getSimpleName() + " has no main method and no test that ran");
    }
  }

  /** Compiles {@code block}; fails with the compiler's messages, placed at the doc's lines. */
  Compiled compile(CodeBlock block, String name) {
    String code = block.code();
    Matcher type = TYPE.matcher(stripImports(code));
    boolean statements = !type.find();
    String source;
    String simpleName;
    int offset;
    if (statements) {
      simpleName = name;
      String imports = imports(code);
      String body = code.substring(imports.length());
      source = imports + "class " + name + " {\n  void run() throws Exception {\n" + body + "  }\n}\n";
      offset = 2; // the two lines put in front of the body
    } else {
      simpleName = type.group(2);
      source = code;
      offset = 0;
    }
    Matcher pkg = PACKAGE.matcher(code);
    String packageName = pkg.find() ? pkg.group(1) + "." : "";
    try {
      Path dir = Files.createDirectories(work.resolve(name));
      Path sources = Files.createDirectories(dir.resolve("src"));
      Path classes = Files.createDirectories(dir.resolve("classes"));
      Path file = sources.resolve(simpleName + ".java");
      Files.writeString(file, source);
      javac(block, file, classes, offset, imports(code).split("\n", -1).length - 1);
      return new Compiled(classes, packageName + simpleName, statements);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void javac(CodeBlock block, Path file, Path classes, int offset, int importLines) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter out = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> options = List.of("-classpath", classPath(), "-d", classes.toString(), "-proc:none",
          "-Xlint:deprecation,removal", "-Werror", "-encoding", "UTF-8");
      boolean ok = javac.getTask(out, files, diagnostics, options, null,
          files.getJavaFileObjects(file.toFile())).call();
      if (!ok) {
        StringBuilder message = new StringBuilder(block.where() + " does not compile:\n");
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
          long line = d.getLineNumber();
          long docLine = line <= importLines ? line : line - offset;
          message.append("  ").append(block.file()).append(':').append(block.line() + docLine - 1).append(": ")
              .append(d.getMessage(Locale.ROOT)).append('\n');
        }
        throw new AssertionError(message + out.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The test's class path (Surefire's full one, not its booter jar). */
  private static String classPath() {
    String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> entries = new ArrayList<>();
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** The leading import (and blank) lines of {@code code}, with their line ends. */
  private static String imports(String code) {
    int end = 0;
    for (String line : code.split("\n", -1)) {
      String trimmed = line.trim();
      if (!trimmed.isEmpty() && !trimmed.startsWith("import ") && !trimmed.startsWith("package ")) {
        break;
      }
      end += line.length() + 1;
    }
    return code.substring(0, Math.min(end, code.length()));
  }

  private static String stripImports(String code) {
    return code.substring(imports(code).length());
  }
}
