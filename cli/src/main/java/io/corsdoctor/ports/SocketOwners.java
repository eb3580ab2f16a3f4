package io.corsdoctor.ports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds which processes hold given socket inodes by reading {@code /proc/PID/fd}, the only way
 * Linux tells (lsof and {@code ss -p} read every descriptor of every process too). That reading is
 * the expensive part, so the search stops as soon as every wanted inode is found, and orders the
 * work so that it usually ends early:
 *
 * <ol>
 *   <li>processes of the sockets' users first; among them those with the fewest open descriptors
 *       first (Linux 6.2+ tells the count in one {@code stat}; reading the cheap processes first
 *       minimises the expected reading when any process may hold the socket, and a dev server holds
 *       few descriptors next to a browser or an IDE), then the newest first; processes the kernel
 *       says hold no descriptors at all (kernel threads) last;
 *   <li>first the low descriptors of every process (a server opens its listening socket early, so
 *       it sits among the first descriptors), then the rest;
 *   <li>two threads.
 * </ol>
 *
 * A socket that no visible process holds makes it read everything: the worst case is what lsof
 * always does.
 */
final class SocketOwners {
  /** Descriptors per process read in the first round. */
  static final int FIRST_ROUND = 16;

  private SocketOwners() {}

  /**
   * @param owners inode to pid, for the inodes found
   * @param deniedUids users whose processes' descriptors the OS would not show
   * @param processesRead processes whose descriptors were read (partly or wholly)
   * @param descriptorsRead descriptors read
   */
  record Result(
      Map<Long, Long> owners, Set<Integer> deniedUids, int processesRead, int descriptorsRead) {}

  static Result find(ProcFs proc, Map<Long, Integer> wantedInodeToUid) {
    return find(proc, wantedInodeToUid, List.of(), null);
  }

  /**
   * Every visible process with its user and descriptor count, which the search's order is made of.
   * A caller may take it ahead, while it waits for something else (the socket tables).
   */
  static Map<Long, ProcFs.FdDir> census(ProcFs proc) {
    List<Long> pids;
    try {
      pids = proc.pids();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + proc.root(), e);
    }
    Map<Long, ProcFs.FdDir> dirs = new ConcurrentHashMap<>();
    inOrder(pids, pid -> dirs.put(pid, proc.fdDir(pid)));
    return dirs;
  }

  /**
   * As {@link #find(ProcFs, Map)}, reading every descriptor of {@code likely} first (the listeners'
   * owners, when looking for the server ends of connections to them), with a {@link #census} taken
   * before (null: take one now if needed).
   */
  static Result find(
      ProcFs proc,
      Map<Long, Integer> wantedInodeToUid,
      List<Long> likely,
      Map<Long, ProcFs.FdDir> census) {
    return find(proc, wantedInodeToUid, likely, census, null);
  }

  /**
   * As {@link #find(ProcFs, Map, List, Map)}, first with the sockets read ahead in {@code early}
   * (stopped by the caller; null: none), each checked with one readlink.
   */
  static Result find(
      ProcFs proc,
      Map<Long, Integer> wantedInodeToUid,
      List<Long> likely,
      Map<Long, ProcFs.FdDir> census,
      SocketIndex early) {
    Map<Long, Long> owners = new ConcurrentHashMap<>();
    Set<Integer> denied = ConcurrentHashMap.newKeySet();
    if (wantedInodeToUid.isEmpty()) {
      return new Result(owners, denied, 0, 0);
    }
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger processes = new AtomicInteger();
    AtomicInteger descriptors = new AtomicInteger();
    for (long pid : likely) {
      scan(proc, pid, 0, Integer.MAX_VALUE, wantedInodeToUid, owners, done, descriptors);
      processes.incrementAndGet();
      if (done.get()) {
        return new Result(owners, denied, processes.get(), descriptors.get());
      }
    }
    Map<Long, ProcFs.FdDir> dirs = census != null ? census : census(proc);
    List<Long> order = order(dirs, Set.copyOf(wantedInodeToUid.values()));
    // Processes read completely ahead go last: what they held then is in the index.
    List<Long> readAhead = List.of();
    if (early != null) {
      owners.putAll(early.verified(wantedInodeToUid.keySet(), proc));
      if (owners.size() == wantedInodeToUid.size()) {
        return new Result(owners, denied, processes.get(), descriptors.get());
      }
      Set<Long> complete = early.complete();
      readAhead = order.stream().filter(complete::contains).toList();
      order = order.stream().filter(pid -> !complete.contains(pid)).toList();
    }
    Set<Long> more = ConcurrentHashMap.newKeySet();
    inOrder(
        order,
        pid -> {
          if (done.get()) {
            return;
          }
          int n = scan(proc, pid, 0, FIRST_ROUND, wantedInodeToUid, owners, done, descriptors);
          processes.incrementAndGet();
          if (n == ProcFs.DENIED) {
            denied.add(proc.uidOf(pid)); // the owner of /proc/PID itself
          } else if (n == FIRST_ROUND) {
            more.add(pid);
          }
        });
    inOrder(
        order.stream().filter(more::contains).toList(),
        pid -> {
          if (!done.get()) {
            scan(
                proc,
                pid,
                FIRST_ROUND,
                Integer.MAX_VALUE,
                wantedInodeToUid,
                owners,
                done,
                descriptors);
          }
        });
    for (long pid : readAhead) {
      if (!done.get()) {
        scan(proc, pid, 0, Integer.MAX_VALUE, wantedInodeToUid, owners, done, descriptors);
        processes.incrementAndGet();
      }
    }
    if (!done.get() && census != null) {
      // The census was taken ahead: a process started since then may hold what is missing.
      Map<Long, ProcFs.FdDir> fresh = census(proc);
      fresh.keySet().removeAll(dirs.keySet());
      for (long pid : fresh.keySet()) {
        if (!done.get()) {
          int n =
              scan(proc, pid, 0, Integer.MAX_VALUE, wantedInodeToUid, owners, done, descriptors);
          processes.incrementAndGet();
          if (n == ProcFs.DENIED) {
            denied.add(proc.uidOf(pid));
          }
        }
      }
    }
    return new Result(owners, denied, processes.get(), descriptors.get());
  }

  /**
   * The search's order: processes of {@code uids} first (none given: all alike), then by {@link
   * #cost}, then the newest first.
   */
  static List<Long> order(Map<Long, ProcFs.FdDir> dirs, Set<Integer> uids) {
    boolean counted = countsDescriptors(dirs);
    List<Long> order = new ArrayList<>(dirs.keySet());
    // One plain comparator rather than a Comparator.comparing chain: the chain's JDK lambdas are
    // not in the class-data-sharing archive and cost a short run a few milliseconds to spin.
    order.sort(
        (a, b) -> {
          boolean aOther = !uids.isEmpty() && !uids.contains(dirs.get(a).uid());
          boolean bOther = !uids.isEmpty() && !uids.contains(dirs.get(b).uid());
          if (aOther != bOther) {
            return aOther ? 1 : -1;
          }
          int byCount = Long.compare(cost(dirs.get(a), counted), cost(dirs.get(b), counted));
          return byCount != 0 ? byCount : Long.compare(b, a);
        });
    return order;
  }

  /** Does this kernel tell descriptor counts (Linux 6.2+)? Then some process has one. */
  private static boolean countsDescriptors(Map<Long, ProcFs.FdDir> dirs) {
    for (ProcFs.FdDir d : dirs.values()) {
      if (d.descriptors() > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where a process goes in the search: by its descriptor count, and last when the kernel counts
   * and says none (kernel threads, a fifth of the processes on a quiet machine: nothing to find,
   * but a directory to open each). A process that opened its first descriptors since the census is
   * still read, last.
   */
  private static long cost(ProcFs.FdDir d, boolean counted) {
    return counted && d.descriptors() == 0 ? Long.MAX_VALUE : d.descriptors();
  }

  /** Runs {@code work} on every pid, in list order, on a few threads pulling the next one. */
  static void inOrder(List<Long> pids, java.util.function.LongConsumer work) {
    int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < pids.size(); i = next.getAndIncrement()) {
            work.accept(pids.get(i));
          }
        };
    List<Thread> started = new ArrayList<>();
    for (int t = 1; t < threads && pids.size() > 8; t++) {
      Thread th = new Thread(worker, "cors-doctor-fd-scan-" + t);
      th.setDaemon(true);
      th.start();
      started.add(th);
    }
    worker.run();
    for (Thread th : started) {
      try {
        th.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static int scan(
      ProcFs proc,
      long pid,
      int skip,
      int max,
      Map<Long, Integer> wanted,
      Map<Long, Long> owners,
      AtomicBoolean done,
      AtomicInteger descriptors) {
    int n =
        proc.sockets(
            pid,
            skip,
            max,
            (fd, inode) -> {
              if (wanted.containsKey(inode)) {
                // the newest holder wins when several share it (a forked server and its workers)
                owners.merge(inode, pid, Math::max);
                if (owners.size() == wanted.size()) {
                  done.set(true);
                }
              }
            });
    if (n > 0) {
      descriptors.addAndGet(n);
    }
    return n;
  }
}
