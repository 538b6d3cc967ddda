package io.splitbot.tests.support;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A bot module that is not part of the build, made the way a user makes theirs: the files under
 * {@code src/test/resources/modules/<name>/} are compiled with javax.tools against the shipped bot-worker.jar (and the
 * bot's own library jars, if it has any) and packed into {@code <name>.jar}, with every file that is not Java source
 * (META-INF/services) at the same path.
 */
public final class ModuleJar {
  private ModuleJar() {
  }

  /**
   * Compiles and packs the module {@code name} into {@code dir/<name>.jar}, against bot-worker.jar and {@code libraries}
   * (jars of the bot's own, which are not packed in); fails with the compiler's messages.
   */
  public static Path build(String name, Path dir, Path... libraries) throws IOException {
    Path sources = sources(name);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    Path classes = Files.createDirectories(dir.resolve(name + "-classes"));
    List<Path> classPath = new ArrayList<>(List.of(JvmProcess.workerJar()));
    classPath.addAll(List.of(libraries));
    compile(name, files.stream().filter(ModuleJar::isJava).toList(), classPath, classes);

    Path jar = dir.resolve(name + ".jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      try (Stream<Path> walk = Files.walk(classes)) {
        for (Path c : walk.filter(Files::isRegularFile).sorted().toList()) {
          add(out, classes.relativize(c), c);
        }
      }
      for (Path f : files) {
        if (!isJava(f)) {
          add(out, sources.relativize(f), f);
        }
      }
    }
    return jar;
  }

  private static Path sources(String name) {
    URL url = ModuleJar.class.getResource("/modules/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no module sources at src/test/resources/modules/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void compile(String name, List<Path> javaFiles, List<Path> classPath, Path classes) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home") + ": run the tests on a JDK");
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options = List.of("--release", "17", "-proc:none", "-Werror", "-Xlint:all,-processing",
          "-classpath", classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
          "-d", classes.toString());
      boolean ok = compiler.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(javaFiles)).call();
      if (!ok) {
        throw new AssertionError("the module " + name + " does not compile against bot-worker.jar:\n"
            + diagnostics.getDiagnostics().stream().map(d -> d.toString()).collect(Collectors.joining("\n")));
      }
    }
  }

  private static boolean isJava(Path file) {
    return file.getFileName().toString().endsWith(".java");
  }

  private static void add(JarOutputStream out, Path relative, Path file) throws IOException {
    // Jar entries always use '/', whatever the file system's separator.
    out.putNextEntry(new JarEntry(relative.toString().replace(relative.getFileSystem().getSeparator(), "/")));
    Files.copy(file, out);
    out.closeEntry();
  }
}
