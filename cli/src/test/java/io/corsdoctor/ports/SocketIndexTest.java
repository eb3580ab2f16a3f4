package io.corsdoctor.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Sockets read ahead of a lookup, against real processes on this machine. */
@EnabledOnOs(OS.LINUX)
class SocketIndexTest {
  private final TestListeners listeners = new TestListeners();
  private final ProcFs proc = new ProcFs(Path.of("/proc"));
  private final long self = ProcessHandle.current().pid();

  @AfterEach
  void stop() {
    listeners.close();
  }

  private long listenerInode(int port) {
    List<TcpSocket> l = ProcTcpScan.scan(proc, port, List.of()).listeners();
    assertThat(l).hasSize(1);
    return l.get(0).inode();
  }

  /** A census of just these processes (the whole machine's would make the test depend on it). */
  private Map<Long, ProcFs.FdDir> censusOf(long... pids) {
    Map<Long, ProcFs.FdDir> m = new HashMap<>();
    for (long pid : pids) {
      m.put(pid, proc.fdDir(pid));
    }
    return m;
  }

  @Test
  void aListenerReadAheadIsFoundAndCheckedWithoutASearch() {
    int port = TestListeners.freePort();
    Process server = listeners.start("127.0.0.1", port);
    long inode = listenerInode(port);
    SocketIndex index = new SocketIndex();
    index.fill(proc, censusOf(server.pid(), self), Set.of(-1L));

    assertThat(index.complete()).containsExactlyInAnyOrder(server.pid(), self);
    assertThat(index.descriptors()).isPositive();
    assertThat(index.verified(Set.of(inode, 1L), proc)).isEqualTo(Map.of(inode, server.pid()));
    SocketOwners.Result r =
        SocketOwners.find(proc, Map.of(inode, 0), List.of(), censusOf(server.pid()), index);
    assertThat(r.owners()).isEqualTo(Map.of(inode, server.pid()));
    assertThat(r.descriptorsRead()).as("no descriptor searched").isZero();
  }

  @Test
  void readingStopsOnceTheWantedListenersAreSeen() {
    int port = TestListeners.freePort();
    Process server = listeners.start("127.0.0.1", port);
    long inode = listenerInode(port);
    SocketIndex index = new SocketIndex();
    // The listener's process holds fewer descriptors than this JVM: it is read first, and enough.
    index.fill(proc, censusOf(server.pid(), self), Set.of(inode));

    assertThat(index.complete()).containsExactly(server.pid());
    assertThat(index.verified(Set.of(inode), proc)).isEqualTo(Map.of(inode, server.pid()));
  }

  @Test
  void aSocketClosedSinceItWasReadIsNotTakenFromTheIndex() throws Exception {
    int port = TestListeners.freePort();
    Process server = listeners.start("127.0.0.1", port);
    long inode = listenerInode(port);
    SocketIndex index = new SocketIndex();
    index.fill(proc, censusOf(server.pid()), Set.of(inode));
    server.destroy();
    server.waitFor();

    assertThat(index.verified(Set.of(inode), proc)).isEmpty();
  }

  @Test
  void aSocketOpenedSinceByAProcessReadAheadIsStillFound() throws Exception {
    SocketIndex index = new SocketIndex();
    Map<Long, ProcFs.FdDir> census = censusOf(self);
    index.fill(proc, census, Set.of(-1L));
    assertThat(index.complete()).contains(self);
    try (ServerSocket later = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      long inode = listenerInode(later.getLocalPort());
      assertThat(index.verified(Set.of(inode), proc)).isEmpty();

      SocketOwners.Result r = SocketOwners.find(proc, Map.of(inode, 0), List.of(), census, index);

      assertThat(r.owners()).isEqualTo(Map.of(inode, self));
    }
  }

  @Test
  void stoppedItReadsNothingMore() {
    SocketIndex index = new SocketIndex();
    index.stop();
    index.fill(proc, censusOf(self), Set.of(-1L));
    assertThat(index.descriptors()).isZero();
    assertThat(index.complete()).isEmpty();
  }
}
