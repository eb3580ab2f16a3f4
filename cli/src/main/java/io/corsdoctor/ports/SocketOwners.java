package io.corsdoctor.ports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds which processes hold given socket inodes by reading {@code /proc/PID/fd}, the only way
 * Linux tells (lsof and {@code ss -p} do the same). Reading every descriptor of every process is
 * the expensive part, so the search stops as soon as every wanted inode is found, and looks first
 * at the processes of the sockets' users, newest first (a dev server is usually recent).
 */
final class SocketOwners {
  private SocketOwners() {}

  /**
   * @param owners inode to pid, for the inodes found
   * @param deniedUids users whose processes' descriptors the OS would not show
   */
  record Result(Map<Long, Long> owners, Set<Integer> deniedUids) {}

  static Result find(ProcFs proc, Map<Long, Integer> wantedInodeToUid) {
    Map<Long, Long> owners = new HashMap<>();
    Set<Integer> denied = new HashSet<>();
    if (wantedInodeToUid.isEmpty()) {
      return new Result(owners, denied);
    }
    List<Long> pids;
    try {
      pids = proc.pids();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + proc.root(), e);
    }
    pids.sort(Comparator.reverseOrder());
    Set<Integer> uids = new HashSet<>(wantedInodeToUid.values());
    List<Long> later = new ArrayList<>();
    Map<Long, Integer> uidOf = new HashMap<>();
    // Pass 1: processes of the sockets' users. Pass 2: the rest (a socket keeps the uid of its
    // creator, so a process that changed user or inherited it is found there).
    for (long pid : pids) {
      int uid = proc.uidOf(pid);
      uidOf.put(pid, uid);
      if (uids.contains(uid)) {
        if (scan(proc, pid, uid, wantedInodeToUid, owners, denied)) {
          return new Result(owners, denied);
        }
      } else {
        later.add(pid);
      }
    }
    for (long pid : later) {
      if (scan(proc, pid, uidOf.get(pid), wantedInodeToUid, owners, denied)) {
        break;
      }
    }
    return new Result(owners, denied);
  }

  /** Scans one process; true when every wanted inode has been found. */
  private static boolean scan(
      ProcFs proc,
      long pid,
      int uid,
      Map<Long, Integer> wanted,
      Map<Long, Long> owners,
      Set<Integer> denied) {
    ProcFs.FdScan r =
        proc.socketInodes(
            pid,
            inode -> {
              if (wanted.containsKey(inode)) {
                owners.putIfAbsent(inode, pid);
              }
            });
    if (r == ProcFs.FdScan.DENIED) {
      denied.add(uid);
    }
    return owners.size() == wanted.size();
  }
}
