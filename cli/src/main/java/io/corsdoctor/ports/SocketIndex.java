package io.corsdoctor.ports;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sockets of the processes an owner search reads first, read ahead. {@code port} starts the census
 * of processes at {@code main()}, while picocli parses the command line on the other core (tens of
 * milliseconds); this reads on, in the search's own order (fewest descriptors first), until it has
 * seen the listeners of the ports named on the command line, or the lookup needs the answer. The
 * lookup then finds a listener's owner here and checks it with one readlink of the descriptor it
 * was seen as (an inode is one socket for as long as it lives), and searches only for what is not
 * here, in the processes not read here first.
 *
 * <p>Only sockets that existed before the lookup can be here: the server ends of the lookup's own
 * connections are searched for as before.
 */
final class SocketIndex {
  /** A run that never gets to its lookup (a usage error) must not read the whole machine. */
  static final int BUDGET = 5_000;

  /** Socket inode to {pid, fd}; the newest process when several share a socket. */
  private final Map<Long, long[]> holders = new ConcurrentHashMap<>();

  /** Processes whose every descriptor was read here. */
  private final Set<Long> complete = ConcurrentHashMap.newKeySet();

  private volatile boolean stop;
  private volatile int descriptors;

  /**
   * Reads on the calling thread until every {@code wanted} inode is found (the listeners the lookup
   * will ask about), {@link #stop()}, the budget, or every process is read.
   */
  void fill(ProcFs proc, Map<Long, ProcFs.FdDir> census, Set<Long> wanted) {
    int read = 0;
    for (long pid : SocketOwners.order(census, Set.of())) {
      if (stop || read >= BUDGET || holders.keySet().containsAll(wanted)) {
        return;
      }
      int n =
          proc.sockets(
              pid,
              0,
              Integer.MAX_VALUE,
              new ProcFs.SocketFd() {
                @Override
                public void found(int fd, long inode) {
                  holders.merge(inode, new long[] {pid, fd}, (a, b) -> a[0] >= b[0] ? a : b);
                }

                @Override
                public boolean stopped() {
                  return stop;
                }
              });
      if (n >= 0) {
        read += n;
        descriptors = read;
        complete.add(pid);
      }
    }
  }

  /** Ends {@link #fill} between two descriptors. */
  void stop() {
    stop = true;
  }

  /** The wanted inodes whose holder seen here still holds them now: inode to pid. */
  Map<Long, Long> verified(Set<Long> wanted, ProcFs proc) {
    Map<Long, Long> out = new HashMap<>();
    for (Long inode : wanted) {
      long[] h = holders.get(inode);
      if (h != null && proc.holds(h[0], (int) h[1], inode)) {
        out.put(inode, h[0]);
      }
    }
    return out;
  }

  /** The process seen holding {@code inode} here (not checked), or -1. */
  long holder(long inode) {
    long[] h = holders.get(inode);
    return h == null ? -1 : h[0];
  }

  /** Processes read completely here: a search reads them last (for sockets opened since). */
  Set<Long> complete() {
    return complete;
  }

  /** Descriptors read here so far. */
  int descriptors() {
    return descriptors;
  }
}
