package io.corsdoctor.ports;

/**
 * Run by {@link HiddenOwnerTest} as another user: prints each listener of a port as {@code
 * address|pid-or-HIDDEN|socket user|reason}.
 */
public final class HiddenOwnerProbe {
  private HiddenOwnerProbe() {}

  public static void main(String[] args) {
    for (Listener l : new LinuxProcPortOwners().listeners(Integer.parseInt(args[0]))) {
      System.out.println(
          l.address()
              + "|"
              + (l.owner() == null ? "HIDDEN" : Long.toString(l.owner().pid()))
              + "|"
              + l.socketUser()
              + "|"
              + l.hiddenReason());
    }
  }
}
