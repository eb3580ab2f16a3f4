package io.corsdoctor.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Makes a listener that never accepts drop new connections: fill its backlog. */
final class BlackHole {
  private BlackHole() {}

  static List<Socket> fillBacklog(ServerSocket server) throws IOException {
    List<Socket> fillers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 200);
        fillers.add(s);
      } catch (IOException e) {
        s.close();
        break;
      }
    }
    return fillers;
  }
}
