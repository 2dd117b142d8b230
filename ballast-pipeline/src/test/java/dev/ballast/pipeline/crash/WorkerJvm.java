package dev.ballast.pipeline.crash;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * How a worker JVM is launched: this JVM's binary and the test classpath, tuned for a quick start,
 * because every kill is followed by a replacement that should claim soon.
 *
 * <p>{@link #withSharedClasses} makes the replacements start faster still: it archives the classes
 * a worker loads at start-up (AppCDS, {@code -XX:ArchiveClassesAtExit}) in one training run, and
 * every later worker maps them instead of loading them again. The archive can only name classes in
 * jars, so the classpath's directories ({@code target/classes}, {@code target/test-classes}) are
 * first copied into jars. Without an archive the workers start as usual, only slower.
 */
final class WorkerJvm {
  /** Tells a {@link CrashWorker} to exit as soon as it is ready: the training run. */
  static final String TRAIN_PROPERTY = "ballast.crash.train";

  private final String classpath;
  private final Path archive;

  private WorkerJvm(String classpath, Path archive) {
    this.classpath = classpath;
    this.archive = archive;
  }

  /**
   * Workers sharing a class archive made in {@code dir} by one training run of {@link CrashWorker}
   * with {@code trainArgs}; plain workers when the archive cannot be made.
   */
  static WorkerJvm withSharedClasses(Path dir, List<String> trainArgs)
      throws IOException, InterruptedException {
    String classpath = jarredClasspath(dir);
    Path archive = dir.resolve("workers.jsa");
    List<String> command = new ArrayList<>(base());
    command.add("-XX:ArchiveClassesAtExit=" + archive);
    command.add("-D" + TRAIN_PROPERTY + "=true");
    command.addAll(List.of("-cp", classpath, CrashWorker.class.getName()));
    command.addAll(trainArgs);
    Process training =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("training.log").toFile())
            .start();
    boolean done = training.waitFor(120, TimeUnit.SECONDS) && training.exitValue() == 0;
    if (!done) {
      training.destroyForcibly();
    }
    return new WorkerJvm(classpath, done && Files.exists(archive) ? archive : null);
  }

  /** The command that runs {@code mainClass} with {@code args} in a worker JVM. */
  List<String> command(String mainClass, List<String> args) {
    List<String> command = new ArrayList<>(base());
    if (archive != null) {
      command.add("-XX:SharedArchiveFile=" + archive);
    }
    command.addAll(List.of("-cp", classpath, mainClass));
    command.addAll(args);
    return command;
  }

  boolean sharesClasses() {
    return archive != null;
  }

  private static List<String> base() {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return List.of(
        java,
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-Xmx256m",
        "--enable-native-access=ALL-UNNAMED");
  }

  /** This JVM's classpath with each directory replaced by a jar of its contents. */
  private static String jarredClasspath(Path dir) throws IOException {
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        Path jar = dir.resolve("classes-" + n++ + ".jar");
        jar(path, jar);
        entries.add(jar.toString());
      } else {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void jar(Path root, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(root.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
  }
}
