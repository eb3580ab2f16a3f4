package io.corsdoctor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The run the {@code ./cors-doctor} launcher records its class-data-sharing archive from ({@code
 * -XX:ArchiveClassesAtExit}): one JVM that goes through the commands a user runs first, so that
 * each of them later starts with its classes mapped from the archive instead of loaded, verified
 * and linked from the jar. Output is discarded; nothing leaves loopback (the demo's stand-ins and a
 * listener of its own on 127.0.0.1).
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> accept(listener), "cds-training-acceptor");
      acceptor.setDaemon(true);
      acceptor.start();
      String port = Integer.toString(listener.getLocalPort());
      List<String[]> runs = new ArrayList<>();
      runs.add(new String[] {"demo"});
      runs.add(new String[] {"demo", "--format", "json"});
      runs.add(new String[] {"port", port});
      runs.add(new String[] {"port", port, "--format", "json"});
      runs.add(new String[] {"ports"});
      runs.add(
          new String[] {
            "explain",
            "Access to fetch at 'http://localhost:5000/api' from origin 'http://localhost:4200' has"
                + " been blocked by CORS policy: Response to preflight request doesn't pass access"
                + " control check: No 'Access-Control-Allow-Origin' header is present on the"
                + " requested resource."
          });
      runs.add(new String[] {"--help"});
      for (String[] run : runs) {
        Main.startEarly(
            Main.subcommand(run), run); // as Main.main does: its classes are archived too
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        cl.execute(run);
      }
    }
  }

  private static void accept(ServerSocket listener) {
    List<Socket> held = new ArrayList<>();
    try {
      while (true) {
        held.add(listener.accept());
      }
    } catch (IOException e) {
      // closed at the end of the training
    }
  }
}
