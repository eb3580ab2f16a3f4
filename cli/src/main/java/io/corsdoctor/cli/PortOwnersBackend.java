package io.corsdoctor.cli;

import io.corsdoctor.check.NoPortOwners;
import io.corsdoctor.ports.PortOwners;

/**
 * The one place that picks the port-owner backend for {@code check}, {@code explain} and {@code
 * demo}.
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
          "cors-doctor cannot see port owners on this system (" + e.getMessage() + ")");
    }
  }
}
