package io.meshwork.bench.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Starts child JVMs on the harness's own class path, with their logs under one directory. */
final class Launcher {

  private final String java;
  private final String classPath;
  final Path logDir;
  private final Consumer<String> progress;

  Launcher(Path logDir, Consumer<String> progress) {
    this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.classPath = System.getProperty("java.class.path");
    this.logDir = logDir;
    this.progress = progress;
  }

  /** Starts {@code mainClass} in a new JVM named {@code name}. */
  ChildProcess startJava(String name, List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass);
    command.addAll(args);
    return ChildProcess.start(name, command, logDir, progress);
  }

  /** Runs a client JVM to its end and returns its result. */
  java.util.Map<String, Object> startJavaForResult(String name, List<String> args, java.time.Duration timeout) {
    ChildProcess child = startJava(name, List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC"),
        "io.meshwork.bench.client.ClientMain", args);
    try {
      return child.awaitResult(timeout);
    } finally {
      child.close();
    }
  }

  /** Starts a native program. */
  ChildProcess startProgram(String name, List<String> command) {
    return ChildProcess.start(name, command, logDir, progress);
  }

  String javaPath() {
    return java;
  }

  String classPath() {
    return classPath;
  }
}
