package io.corsdoctor.ports;

import java.util.Locale;

/**
 * Chooses the {@link PortOwners} backend for this machine, in one place. {@code
 * -Dcorsdoctor.ports.backend=NAME} (or the environment variable {@code CORS_DOCTOR_PORTS_BACKEND})
 * forces one: {@code linux-proc}, {@code oshi}, {@code lsof}, {@code windows}.
 */
public final class Backends {
  private Backends() {}

  public static PortOwners forThisMachine() {
    String forced = System.getProperty("corsdoctor.ports.backend");
    if (forced == null) {
      forced = System.getenv("CORS_DOCTOR_PORTS_BACKEND");
    }
    if (forced != null && !forced.isBlank()) {
      return named(forced.strip());
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("linux")) {
      return LinuxProcPortOwners.ifSupported().orElseGet(() -> named("oshi"));
    }
    if (os.contains("mac") || os.contains("darwin")) {
      return named("lsof");
    }
    if (os.contains("windows")) {
      return named("windows");
    }
    return named("oshi");
  }

  static PortOwners named(String name) {
    switch (name) {
      case "linux-proc":
        return new LinuxProcPortOwners();
      case "lsof":
        return new MacLsofPortOwners();
      case "windows":
        return new WindowsNetstatPortOwners();
      case "oshi":
        return new OshiPortOwners();
      default:
        throw new IllegalArgumentException(
            "unknown ports backend '" + name + "'; choose linux-proc, oshi, lsof or windows");
    }
  }
}
