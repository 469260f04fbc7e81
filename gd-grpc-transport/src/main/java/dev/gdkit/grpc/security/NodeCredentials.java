package dev.gdkit.grpc.security;

import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * What a member needs for mutual TLS: its private key, its certificate ({@code CN=<node>}) and the
 * cluster CA certificate that signed it. The constructor checks that the certificate names the
 * node and was signed by the CA.
 */
public record NodeCredentials(NodeId node, PrivateKey key, X509Certificate certificate, X509Certificate ca) {
    public NodeCredentials {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(ca, "ca");
        String cn = ClusterCa.attribute(certificate.getSubjectX500Principal(), BCStyle.CN);
        if (!cn.equals(node.value())) {
            throw GdException.invalid("certificate " + certificate.getSubjectX500Principal() + " is not for node "
                    + node, "use the certificate the cluster issued to this node (CN=" + node + ")");
        }
        try {
            certificate.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw GdException.invalid("certificate of node " + node + " was not signed by CA "
                    + ca.getSubjectX500Principal() + ": " + e.getMessage(),
                    "give the CA certificate of the cluster that issued the node's certificate");
        }
    }

    /** Makes a key pair and a certificate for {@code node} directly with the CA (the first node, tests). */
    public static NodeCredentials issue(ClusterCa ca, NodeId node, java.time.Instant now, java.time.Duration validity) {
        var keys = ClusterCa.newKeyPair();
        return new NodeCredentials(node, keys.getPrivate(), ca.issue(node, keys.getPublic(), now, validity),
                ca.certificate());
    }

    /** Reads credentials back from PEM (as {@link #keyPem()}, {@link #certificatePem()}, {@link #caPem()} wrote them). */
    public static NodeCredentials fromPem(NodeId node, String keyPem, String certificatePem, String caPem) {
        return new NodeCredentials(node, Pem.privateKey(keyPem, "node private key"),
                Pem.certificate(certificatePem, "node certificate"), Pem.certificate(caPem, "cluster CA certificate"));
    }

    /** The cluster the certificate belongs to (its OU). */
    public String clusterId() {
        return ClusterCa.attribute(certificate.getSubjectX500Principal(), BCStyle.OU);
    }

    public String keyPem() {
        return Pem.encode(key);
    }

    public String certificatePem() {
        return Pem.encode(certificate);
    }

    public String caPem() {
        return Pem.encode(ca);
    }

    @Override
    public String toString() {
        return "NodeCredentials[" + node + ", cluster=" + clusterId() + ", ca sha256=" + Pem.fingerprint(ca) + "]";
    }
}
