package io.corsdoctor.ports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads processes from Linux's {@code /proc}: the acquisition half of the Linux backend. */
final class ProcFs {
  /** USER_HZ: the unit of {@code /proc/PID/stat}'s start time; 100 on every Linux architecture. */
  private static final int USER_HZ = 100;

  private final Path root;
  private Map<Integer, String> users;
  private Long bootSeconds;

  ProcFs(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** The raw bytes of a {@code /proc} file such as {@code net/tcp}. */
  byte[] read(String relative) throws IOException {
    return Files.readAllBytes(root.resolve(relative));
  }

  /** A {@code /proc} file as a stream, for files the kernel generates as they are read. */
  java.io.InputStream open(String relative) throws IOException {
    return Files.newInputStream(root.resolve(relative));
  }

  /** True while process {@code pid} exists. */
  boolean alive(long pid) {
    return Files.exists(root.resolve(Long.toString(pid)));
  }

  /** Process ids of every visible process. */
  List<Long> pids() throws IOException {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.isEmpty()
            && Character.isDigit(n.charAt(0))
            && n.chars().allMatch(Character::isDigit)) {
          pids.add(Long.parseLong(n));
        }
      }
    }
    return pids;
  }

  /**
   * One {@code stat} of {@code /proc/PID/fd}: the process's effective uid (-1 if gone; root for a
   * non-dumpable process, whose {@code /proc/PID} the search asks again if it is denied) and, on
   * Linux 6.2 and later, how many descriptors it has open (0 where the kernel does not say).
   */
  record FdDir(int uid, long descriptors) {}

  FdDir fdDir(long pid) {
    try {
      Map<String, Object> a =
          Files.readAttributes(
              root.resolve(Long.toString(pid)).resolve("fd"),
              "unix:uid,size",
              java.nio.file.LinkOption.NOFOLLOW_LINKS);
      return new FdDir((Integer) a.get("uid"), (Long) a.get("size"));
    } catch (IOException | UnsupportedOperationException e) {
      return new FdDir(uidOf(pid), 0);
    }
  }

  /** The owner uid of {@code /proc/PID} (the process's effective uid), or -1 if gone. */
  int uidOf(long pid) {
    try {
      return (Integer) Files.getAttribute(root.resolve(Long.toString(pid)), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  /** {@link #sockets}: the OS hides this process's descriptors. */
  static final int DENIED = -1;

  /** {@link #sockets}: the process is gone. */
  static final int GONE = -2;

  /** {@link #sockets}: the receiver stopped the reading before the end. */
  static final int STOPPED = -3;

  /** Receives a socket among a process's descriptors. */
  interface SocketFd {
    void found(int fd, long inode);

    /** Asked before each descriptor: true ends the reading, which then returns {@link #STOPPED}. */
    default boolean stopped() {
      return false;
    }
  }

  /**
   * Calls {@code found} with the sockets among the process's descriptors number {@code skip} to
   * {@code skip + max - 1} in the kernel's (ascending fd) order. Returns how many descriptors it
   * looked at, or {@link #DENIED} (another user's process without privileges), {@link #GONE} or
   * {@link #STOPPED}.
   */
  int sockets(long pid, int skip, int max, SocketFd found) {
    Path fdDir = root.resolve(Long.toString(pid)).resolve("fd");
    int seen = 0;
    int index = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(fdDir)) {
      for (Path fd : ds) {
        if (index++ < skip) {
          continue;
        }
        if (seen == max) {
          break;
        }
        if (found.stopped()) {
          return STOPPED;
        }
        seen++;
        long inode = socketInode(fd);
        if (inode >= 0) {
          found.found(Integer.parseInt(fd.getFileName().toString()), inode);
        }
      }
      return seen;
    } catch (AccessDeniedException e) {
      return DENIED;
    } catch (NoSuchFileException e) {
      return GONE;
    } catch (IOException | java.nio.file.DirectoryIteratorException | NumberFormatException e) {
      return DENIED;
    }
  }

  /**
   * The socket inode a descriptor link names ({@code socket:[N]}), or -1 (not a socket, closed).
   */
  private static long socketInode(Path fd) {
    String target;
    try {
      target = Files.readSymbolicLink(fd).toString();
    } catch (IOException e) {
      return -1; // closed meanwhile
    }
    return target.startsWith("socket:[") && target.endsWith("]")
        ? Long.parseLong(target, 8, target.length() - 1, 10)
        : -1;
  }

  /** Does process {@code pid} still hold socket {@code inode} as descriptor {@code fd}? */
  boolean holds(long pid, int fd, long inode) {
    return socketInode(root.resolve(Long.toString(pid)).resolve("fd").resolve(Integer.toString(fd)))
        == inode;
  }

  /** What {@code /proc/PID} tells about the process, as far as readable; empty if it is gone. */
  Optional<ProcessInfo> process(long pid) {
    Path dir = root.resolve(Long.toString(pid));
    String comm = text(dir.resolve("comm")).map(String::strip).orElse(null);
    if (comm == null) {
      return Optional.empty();
    }
    String command = text(dir.resolve("cmdline")).map(ProcFs::commandLine).orElse(null);
    Map<String, String> status = status(dir);
    String uid = status.get("Uid");
    String user = uid == null ? null : userName(Integer.parseInt(uid.split("\\s+")[1]));
    Long ppid = status.containsKey("PPid") ? Long.valueOf(status.get("PPid").strip()) : null;
    String cwd = link(dir.resolve("cwd"));
    String name = fullName(comm, link(dir.resolve("exe")), command);
    return Optional.of(new ProcessInfo(pid, name, command, user, ppid, startTime(dir), cwd));
  }

  /** The user name for a uid, from {@code /etc/passwd}; {@code uid N} when unknown. */
  synchronized String userName(int uid) {
    if (users == null) {
      users = new HashMap<>();
      try {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
          String[] f = line.split(":", -1);
          if (f.length > 2 && !f[2].isEmpty() && f[2].chars().allMatch(Character::isDigit)) {
            users.putIfAbsent(Integer.parseInt(f[2]), f[0]);
          }
        }
      } catch (IOException | NumberFormatException e) {
        // no names: fall back to numbers below
      }
    }
    return users.getOrDefault(uid, "uid " + uid);
  }

  /**
   * {@code comm} is cut at 15 characters (TASK_COMM_LEN); the executable's or argv[0]'s base name
   * gives the full one when it starts with the cut name.
   */
  static String fullName(String comm, String exe, String command) {
    if (comm.length() < 15) {
      return comm;
    }
    for (String candidate : new String[] {exe, command == null ? null : command.split(" ")[0]}) {
      if (candidate != null) {
        String base = candidate.substring(candidate.lastIndexOf('/') + 1).replace(" (deleted)", "");
        if (base.startsWith(comm)) {
          return base;
        }
      }
    }
    return comm;
  }

  /** {@code /proc/PID/cmdline} holds NUL-separated arguments; quote those with spaces. */
  static String commandLine(String raw) {
    if (raw.isEmpty()) {
      return null; // kernel threads and zombies
    }
    String[] args = raw.split("\0");
    StringBuilder sb = new StringBuilder();
    for (String a : args) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(a.isEmpty() || a.contains(" ") ? "'" + a.replace("'", "'\\''") + "'" : a);
    }
    return sb.toString();
  }

  private Instant startTime(Path dir) {
    Optional<String> stat = text(dir.resolve("stat"));
    if (stat.isEmpty()) {
      return null;
    }
    String s = stat.get();
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    if (f.length < 20) {
      return null;
    }
    long ticks = Long.parseLong(f[19]); // field 22 counted from 1, after pid and (comm)
    long boot = bootSeconds();
    return boot < 0 ? null : Instant.ofEpochMilli(boot * 1000 + ticks * 1000 / USER_HZ);
  }

  private synchronized long bootSeconds() {
    if (bootSeconds == null) {
      bootSeconds = -1L;
      for (String line : text(root.resolve("stat")).orElse("").split("\n")) {
        if (line.startsWith("btime ")) {
          bootSeconds = Long.parseLong(line.substring(6).strip());
        }
      }
    }
    return bootSeconds;
  }

  private Map<String, String> status(Path dir) {
    Map<String, String> m = new HashMap<>();
    for (String line : text(dir.resolve("status")).orElse("").split("\n")) {
      int c = line.indexOf(':');
      if (c > 0) {
        m.put(line.substring(0, c), line.substring(c + 1).strip());
      }
    }
    return m;
  }

  private static Optional<String> text(Path p) {
    try {
      return Optional.of(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String link(Path p) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (IOException e) {
      return null;
    }
  }
}
