package dev.gdkit.grpc.security;

import java.util.Objects;

/** The cluster CA as stored: certificate and PKCS#8 private key in PEM. {@link #toString()} hides the key. */
public record StoredCa(String clusterId, String certificatePem, String privateKeyPem) {
    public StoredCa {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    }

    @Override
    public String toString() {
        return "StoredCa[" + clusterId + "]";
    }
}
