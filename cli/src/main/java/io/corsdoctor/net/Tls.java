package io.corsdoctor.net;

import io.corsdoctor.cors.NetError;
import io.corsdoctor.cors.NetworkFailure;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS as the browser sees it: the JDK's trust store and host-name check decide, and a rejected
 * certificate is a failure. With {@code --insecure} the handshake goes on, and the problem is
 * recorded instead. The lenient trust manager lives only in this probe's own context.
 */
final class Tls {
  private Tls() {}

  record Handshake(SSLSocket socket, ProbeResult.TlsInfo info, NetworkFailure failure) {}

  static Handshake handshake(Socket plain, String host, int port, ProbeOptions options) {
    Recording recording = null;
    try {
      SSLContext ctx;
      if (options.insecure()) {
        recording = new Recording(defaultTrustManager());
        ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {recording}, null);
      } else {
        ctx = SSLContext.getDefault();
      }
      SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
      SSLParameters p = ssl.getSSLParameters();
      if (!options.insecure()) {
        p.setEndpointIdentificationAlgorithm("HTTPS");
      }
      if (host != null && !host.startsWith("[") && !Character.isDigit(host.charAt(0))) {
        p.setServerNames(List.of(new SNIHostName(host)));
      }
      ssl.setSSLParameters(p);
      ssl.setSoTimeout((int) options.connectTimeout().toMillis());
      ssl.startHandshake();
      var session = ssl.getSession();
      String subject = null;
      try {
        if (session.getPeerCertificates().length > 0
            && session.getPeerCertificates()[0] instanceof X509Certificate x) {
          subject = x.getSubjectX500Principal().getName();
        }
      } catch (IOException e) {
        subject = null;
      }
      return new Handshake(
          ssl,
          new ProbeResult.TlsInfo(
              session.getProtocol(),
              session.getCipherSuite(),
              subject,
              recording == null ? null : recording.problem),
          null);
    } catch (SocketTimeoutException e) {
      return failed(NetError.TIMED_OUT, "the TLS handshake did not finish in time");
    } catch (SSLException e) {
      return failed(classify(e), "TLS: " + rootMessage(e));
    } catch (IOException | GeneralSecurityException e) {
      return failed(NetError.SSL_PROTOCOL_ERROR, "TLS: " + rootMessage(e));
    }
  }

  private static Handshake failed(NetError error, String detail) {
    return new Handshake(null, null, new NetworkFailure(error, detail));
  }

  /** The net error Chromium shows for a rejected handshake. */
  static NetError classify(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException
          || t instanceof CertificateNotYetValidException) {
        return NetError.CERT_DATE_INVALID;
      }
      String m = String.valueOf(t.getMessage());
      if (m.contains("No subject alternative") || m.contains("No name matching")) {
        return NetError.CERT_COMMON_NAME_INVALID;
      }
      if (m.contains("PKIX path") || m.contains("unable to find valid certification path")) {
        return NetError.CERT_AUTHORITY_INVALID;
      }
    }
    return NetError.SSL_PROTOCOL_ERROR;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static X509ExtendedTrustManager defaultTrustManager() throws GeneralSecurityException {
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init((KeyStore) null);
    for (TrustManager tm : f.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509 trust manager");
  }

  /** Checks like the default, but records the verdict instead of failing (--insecure only). */
  private static final class Recording extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    volatile String problem;

    Recording(X509ExtendedTrustManager delegate) {
      this.delegate = delegate;
    }

    private void record(CertificateException e) {
      problem = classify(e).chromiumName() + ": " + rootMessage(e);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
      try {
        delegate.checkServerTrusted(chain, authType, socket);
      } catch (CertificateException e) {
        record(e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      try {
        delegate.checkServerTrusted(chain, authType, engine);
      } catch (CertificateException e) {
        record(e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      try {
        delegate.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        record(e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }
}
