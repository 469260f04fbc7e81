package dev.gdkit.grpc.transport;

import dev.gdkit.grpc.security.Pem;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The trust of a node that joins with a token and has no certificate yet: it accepts a server
 * whose chain contains the CA whose SHA-256 the token pins and leads to it by a valid PKIX path.
 * This is what protects the token: it is only ever sent to a member of the cluster that issued it.
 */
final class PinnedCaTrustManager extends PathOnlyTrustManager {
    private final String caFingerprint;

    PinnedCaTrustManager(String caFingerprint) {
        this.caFingerprint = caFingerprint;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        X509Certificate ca = null;
        for (X509Certificate c : chain == null ? new X509Certificate[0] : chain) {
            if (Pem.fingerprint(c).equals(caFingerprint)) {
                ca = c;
            }
        }
        if (ca == null) {
            throw new CertificateException("the server " + TlsMaterial.subject(chain)
                    + " does not present the cluster CA pinned in the join token (sha256 " + caFingerprint
                    + "); it is not a member of the cluster that issued the token");
        }
        try {
            TlsMaterial.pkix(ca).checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw new CertificateException("the server certificate " + TlsMaterial.subject(chain)
                    + " does not chain to the CA pinned in the join token: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a joining node accepts no incoming TLS clients");
    }





    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
