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
    return new PortOwnersBackend(
        new NoPortOwners(), "this build of cors-doctor has no port-owner backend for this system");
  }
}
