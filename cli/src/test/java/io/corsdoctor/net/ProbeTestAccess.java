package io.corsdoctor.net;

import javax.net.ssl.SSLServerSocket;

/** Lets tests in other packages start the self-signed TLS server of {@link ProbeTest}. */
public final class ProbeTestAccess {
  private ProbeTestAccess() {}

  public static SSLServerSocket tlsServer() throws Exception {
    return ProbeTest.tlsServer();
  }
}
