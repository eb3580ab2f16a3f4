package io.corsdoctor.cli;

import io.corsdoctor.check.NoPortOwners;
import io.corsdoctor.ports.PortOwners;

/**
 * The port-owner backend for {@code check} and {@code explain}: the machine's (chosen in {@link
 * PortOwners#forThisMachine()}), or none when this system has no backend.
 *
 * @param owners the backend
 * @param note why owners cannot be seen, or null when they can
 */
record PortOwnersBackend(PortOwners owners, String note) {

  static PortOwnersBackend forThisMachine() {
    try {
      return new PortOwnersBackend(PortOwners.forThisMachine(), null);
    } catch (RuntimeException e) {
      return new PortOwnersBackend(
          new NoPortOwners(),
          "cors-doctor has no way to see port owners on this system (" + e.getMessage() + ")");
    }
  }
}
