package io.corsdoctor.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A listener of root seen by an unprivileged user (nobody, through setpriv): the owner is reported
 * hidden, with the socket's user and the advice to use sudo, never as a wrong or empty owner.
 */
@EnabledOnOs(OS.LINUX)
class HiddenOwnerTest {
  private final TestListeners listeners = new TestListeners();

  @AfterEach
  void stop() {
    listeners.close();
  }

  @Test
  void anotherUsersListenerIsHiddenWithItsSocketUserAndHowToSeeIt() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name"))
            && Files.isExecutable(Path.of("/usr/bin/setpriv")),
        "needs root and setpriv to look as another user");
    int port = TestListeners.freePort();
    Process held = listeners.start("127.0.0.1", port);

    // The classes must be readable by nobody: copy them to a world-readable temporary directory.
    Path dir = Files.createTempDirectory("cors-doctor-hidden");
    try {
      Path classes = dir.resolve("classes");
      copy(
          Path.of(
              LinuxProcPortOwners.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI()),
          classes);
      copy(
          Path.of(
              HiddenOwnerProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
          classes);
      dir.toFile().setReadable(true, false);
      dir.toFile().setExecutable(true, false);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p =
          new ProcessBuilder(
                  "/usr/bin/setpriv",
                  "--reuid=65534",
                  "--regid=65534",
                  "--clear-groups",
                  java,
                  "-cp",
                  classes.toString(),
                  HiddenOwnerProbe.class.getName(),
                  "" + port)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      List<String> lines = out.lines().toList();
      assertThat(lines)
          .as(out)
          .singleElement()
          .satisfies(
              line -> {
                String[] f = line.split("\\|");
                assertThat(f[0]).isEqualTo("127.0.0.1");
                assertThat(f[1]).isEqualTo("HIDDEN");
                assertThat(f[2]).isEqualTo("root");
                assertThat(f[3]).contains("sudo");
              });
      // As root the same listener has its owner.
      assertThat(new LinuxProcPortOwners().listeners(port))
          .singleElement()
          .satisfies(l -> assertThat(l.owner().pid()).isEqualTo(held.pid()));
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private static void copy(Path from, Path to) throws Exception {
    try (var walk = Files.walk(from)) {
      for (Path src : walk.toList()) {
        Path dst = to.resolve(from.relativize(src).toString());
        if (Files.isDirectory(src)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(src, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        dst.toFile().setReadable(true, false);
        dst.toFile().setExecutable(Files.isDirectory(src), false);
      }
    }
  }
}
