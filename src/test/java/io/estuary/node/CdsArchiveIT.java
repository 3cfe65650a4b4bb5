package io.estuary.node;

import io.estuary.testing.JarNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AppCDS archive {@code mvn package} writes beside the jar, used as the README says and by {@code bin/estuary}. */
class CdsArchiveIT {

  @Test
  void theJarStartsWithItsClassesFromTheArchive() throws Exception {
    Path jar = Path.of(JarNode.jar());
    Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
    assertTrue(Files.size(archive) > 0, archive + " is empty");

    // the JVM checks the archive against this JVM and this jar, and lists the classes it holds
    String listing = run("java", "-XX:SharedArchiveFile=" + archive, "-XX:+PrintSharedArchiveAndExit", "-jar",
        jar.toString());
    assertTrue(listing.contains("archive is valid"), listing);
    // the launcher's classes, and those of the RTMP and HTTP-FLV players the training run served
    for (String type : List.of("io.estuary.node.Estuary", "io.estuary.rtmp.codec.ChunkEncoder",
        "io.estuary.http.HttpLivePlayer")) {
      assertTrue(listing.contains(": " + type + " app_loader"), type + " is not in the archive");
    }

    String started = run("java", "-XX:SharedArchiveFile=" + archive, "-jar", jar.toString(), "--version");
    assertFalse(started.contains("Unable to use shared archive"), started);
  }

  @Test
  void theLauncherScriptUsesTheArchiveBesideTheJar() throws Exception {
    Path jar = Path.of(JarNode.jar()).toAbsolutePath();
    ProcessBuilder launcher = new ProcessBuilder("bin/estuary", "--version").redirectErrorStream(true);
    launcher.environment().put("ESTUARY_JAR", jar.toString());
    launcher.environment().put("JAVA_OPTS", "-Xlog:class+load=info");

    String out = run(launcher);

    assertTrue(out.contains("io.estuary.node.Estuary source: shared objects file (top)"), out);
    assertFalse(out.contains("Unable to use shared archive"), out);
  }

  private static String run(String... command) throws IOException, InterruptedException {
    return run(new ProcessBuilder(command).redirectErrorStream(true));
  }

  private static String run(ProcessBuilder command) throws IOException, InterruptedException {
    Process p = command.start();
    byte[] bytes = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command.command()) + " did not exit");
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
