package dev.atmosd.it.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Docker build context for a {@code FROM scratch} image that runs a Java program, made only from what is on this
 * machine (nothing can be pulled from a registry): a Java runtime (a jlink image when some local JDK can link one,
 * else a copy of the running JDK), the shared libraries it needs (found with ldd, copied to the same paths), the
 * jars of a class-path filter, and some test classes.
 *
 * <pre>
 *   /opt/java/...      the runtime
 *   /app/lib/*.jar     the jars
 *   /app/classes/...   the classes
 *   /lib, /usr/lib ... what ldd names, including the dynamic loader
 *   /tmp
 * </pre>
 */
final class LocalJavaImage {
  static final String JAVA = "/opt/java/bin/java";
  /** What the AWS SDK for Java (sts + apache clients) needs, per jdeps, plus what it loads reflectively. */
  static final String MODULES = "java.base,java.logging,java.naming,java.security.jgss,java.xml,jdk.net,"
      + "java.management,jdk.crypto.ec,jdk.unsupported";
  private static final String REPOSITORY = "atmosd-it/java-sdk";

  private LocalJavaImage() {}

  /**
   * The name of an image with these jars and classes, built now unless an image with the same content (same JDK,
   * jars, class bytes) already exists in the engine: the build takes a minute or two on a busy machine, reuse none.
   */
  static String ensure(Path workDir, List<Path> jars, List<Class<?>> classes) throws IOException, InterruptedException {
    String name = REPOSITORY + ":" + contentKey(jars, classes);
    if (exists(name)) {
      return name;
    }
    Path dockerfile = buildContext(workDir, jars, classes);
    return new org.testcontainers.images.builder.ImageFromDockerfile(name, false).withDockerfile(dockerfile).get();
  }

  private static boolean exists(String name) {
    try {
      org.testcontainers.DockerClientFactory.instance().client().inspectImageCmd(name).exec();
      return true;
    } catch (com.github.dockerjava.api.exception.NotFoundException missing) {
      return false;
    }
  }

  private static String contentKey(List<Path> jars, List<Class<?>> classes) throws IOException {
    try {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
      java.util.function.Consumer<String> add = s -> digest.update((s + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      add.accept("v1 " + MODULES);
      add.accept(System.getProperty("java.home") + " " + System.getProperty("java.vm.version"));
      for (Path jar : jars) {
        add.accept(jar.getFileName() + " " + Files.size(jar));
      }
      for (Class<?> type : classes) {
        try (java.io.InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
          digest.update(in.readAllBytes());
        }
      }
      return java.util.HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes rootfs/ and a Dockerfile into {@code context}; returns the Dockerfile. */
  static Path buildContext(Path context, List<Path> jars, List<Class<?>> classes) throws IOException, InterruptedException {
    Path rootfs = Files.createDirectories(context.resolve("rootfs"));
    Path runtime = rootfs.resolve("opt/java");
    Files.createDirectories(runtime.getParent());
    if (!jlink(runtime)) {
      copyTree(Path.of(System.getProperty("java.home")), runtime);
    }
    copySharedLibraries(runtime, rootfs);
    Files.createDirectories(rootfs.resolve("tmp"));
    Path lib = Files.createDirectories(rootfs.resolve("app/lib"));
    for (Path jar : jars) {
      Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    for (Class<?> type : classes) {
      copyClass(type, rootfs.resolve("app/classes"));
    }
    Path dockerfile = context.resolve("Dockerfile");
    Files.writeString(dockerfile, "FROM scratch\nCOPY rootfs/ /\nENV PATH=/opt/java/bin\nENTRYPOINT [\"" + JAVA + "\"]\n");
    return dockerfile;
  }

  /** jlink with the running JDK, else with any JDK under /usr/lib/jvm that can (JDK 24+ may link without jmods). */
  private static boolean jlink(Path output) throws IOException, InterruptedException {
    List<Path> homes = new ArrayList<>();
    homes.add(Path.of(System.getProperty("java.home")));
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> list = Files.list(jvms)) {
        list.sorted().forEach(homes::add);
      }
    }
    for (Path home : homes) {
      Path jlink = home.resolve("bin/jlink");
      if (!Files.isExecutable(jlink)) {
        continue;
      }
      deleteTree(output);
      Process p = new ProcessBuilder(jlink.toString(), "--add-modules", MODULES,
          "--strip-debug", "--no-man-pages", "--no-header-files", "--output", output.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (p.waitFor(180, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.isExecutable(output.resolve("bin/java"))) {
        return true;
      }
      p.destroyForcibly();
    }
    deleteTree(output);
    return false;
  }

  private static final Pattern LDD_PATH = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x");

  /** Every library that ldd names for the runtime's executables and shared objects, at the same absolute path. */
  private static void copySharedLibraries(Path runtime, Path rootfs) throws IOException, InterruptedException {
    List<Path> objects = new ArrayList<>();
    objects.add(runtime.resolve("bin/java"));
    try (Stream<Path> walk = Files.walk(runtime.resolve("lib"))) {
      walk.filter(p -> p.getFileName().toString().endsWith(".so")).forEach(objects::add);
    }
    Set<String> libraries = new LinkedHashSet<>();
    for (Path object : objects) {
      Process p = new ProcessBuilder("ldd", object.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(30, TimeUnit.SECONDS);
      Matcher m = LDD_PATH.matcher(out);
      while (m.find()) {
        String library = m.group(1);
        if (!library.startsWith(runtime.toString())) {
          libraries.add(library);
        }
      }
    }
    for (String library : libraries) {
      Path source = Path.of(library);
      Path target = rootfs.resolve(library.substring(1));
      Files.createDirectories(target.getParent());
      // Follow the symlink: the image gets the real bytes under the name the loader asks for.
      Files.copy(source.toRealPath(), target, StandardCopyOption.REPLACE_EXISTING);
      target.toFile().setExecutable(true);
    }
    // /lib64 -> usr/lib64 style links on merged-/usr systems: ldd reports /lib64/ld-linux-x86-64.so.2, which we copied
    // to that very path, so nothing more is needed.
  }

  private static void copyClass(Class<?> type, Path classesRoot) throws IOException {
    String resource = type.getName().replace('.', '/');
    Path classFile;
    try {
      classFile = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(resource + ".class");
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    Path dir = classFile.getParent();
    String simple = classFile.getFileName().toString().replace(".class", "");
    Path targetDir = Files.createDirectories(classesRoot.resolve(resource).getParent());
    try (Stream<Path> list = Files.list(dir)) {
      for (Path f : list.filter(f -> f.getFileName().toString().equals(simple + ".class")
          || f.getFileName().toString().startsWith(simple + "$")).toList()) {
        Files.copy(f, targetDir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (Files.exists(source)) {
          Files.createDirectories(target.getParent());
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
