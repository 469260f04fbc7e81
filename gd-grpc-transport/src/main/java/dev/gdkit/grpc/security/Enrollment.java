package dev.gdkit.grpc.security;

import java.util.Objects;

/** What a joiner gets for a valid token and CSR: its signed certificate and the CA certificate, in PEM. */
public record Enrollment(String certificatePem, String caPem) {
    public Enrollment {
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(caPem, "caPem");
    }
}
