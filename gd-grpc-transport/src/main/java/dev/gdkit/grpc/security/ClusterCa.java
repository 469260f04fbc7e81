package dev.gdkit.grpc.security;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A cluster's certificate authority: a self-signed ECDSA P-256 certificate whose subject names
 * the cluster ({@code O=gd-kit, OU=<clusterId>, CN=cluster-ca}), and its private key. It signs the
 * certificate of every node ({@code O=gd-kit, OU=<clusterId>, CN=<nodeId>}, usable as TLS server
 * and client). Immutable and thread-safe.
 */
public final class ClusterCa {
    static final String SIGNATURE = "SHA256withECDSA";

    private final String clusterId;
    private final X509Certificate certificate;
    private final PrivateKey key;
    private final String fingerprint;

    private ClusterCa(String clusterId, X509Certificate certificate, PrivateKey key) {
        this.clusterId = clusterId;
        this.certificate = certificate;
        this.key = key;
        this.fingerprint = Pem.fingerprint(certificate);
    }

    /** A new CA for {@code clusterId}, valid from {@code now} for {@code validity}. */
    public static ClusterCa create(String clusterId, Instant now, Duration validity) {
        requireClusterId(clusterId);
        KeyPair kp = newKeyPair();
        X500Name name = name(clusterId, "cluster-ca");
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), name, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(SIGNATURE).build(kp.getPrivate())));
            return new ClusterCa(clusterId, cert, kp.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new GdException(ErrorCode.INTERNAL, "cannot create the CA of cluster " + clusterId + ": " + e, "",
                    List.of(), e);
        }
    }

    /** A CA read back from its PEM forms, as {@link #certificatePem()} and {@link #keyPem()} wrote them. */
    public static ClusterCa fromPem(String certificatePem, String keyPem) {
        X509Certificate cert = Pem.certificate(certificatePem, "cluster CA certificate");
        PrivateKey key = Pem.privateKey(keyPem, "cluster CA private key");
        String clusterId = attribute(cert.getSubjectX500Principal(), BCStyle.OU);
        if (clusterId.isEmpty() || cert.getBasicConstraints() < 0) {
            throw GdException.invalid("certificate " + cert.getSubjectX500Principal() + " is not a gd-kit cluster CA",
                    "give the CA certificate gd-kit created for the cluster");
        }
        return new ClusterCa(clusterId, cert, key);
    }

    /** A fresh ECDSA P-256 key pair. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
        }
    }

    /** A certificate signing request for {@code node}'s key pair, in PEM. */
    public static String csrPem(NodeId node, KeyPair keys) {
        PKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, node.value()).build(), keys.getPublic());
        try {
            return Pem.encode(b.build(new JcaContentSignerBuilder(SIGNATURE).build(keys.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a CSR with an EC key", e);
        }
    }

    /**
     * Signs {@code csr} for {@code node}: the CSR's signature must verify and its subject must be
     * {@code CN=<node>}; the certificate is valid from {@code now} for {@code validity}.
     */
    public X509Certificate sign(PKCS10CertificationRequest csr, NodeId node, Instant now, Duration validity) {
        return issue(node, verify(csr, node), now, validity);
    }

    /** The public key of {@code csr} once its signature verifies and its subject is {@code CN=<node>}. */
    public PublicKey verify(PKCS10CertificationRequest csr, NodeId node) {
        PublicKey pub;
        try {
            pub = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
        } catch (java.io.IOException e) {
            throw refused("the public key in the certificate signing request of " + node + " is unusable: "
                    + e.getMessage());
        }
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(pub))) {
                throw refused("the certificate signing request of " + node + " has a bad signature");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw refused("the certificate signing request of " + node + " cannot be verified: " + e.getMessage());
        }
        String cn = csr.getSubject().getRDNs(BCStyle.CN).length == 1
                ? IETFUtils.valueToString(csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue()) : "";
        if (!cn.equals(node.value())) {
            throw refused("the certificate signing request names '" + csr.getSubject() + "' but the joiner is "
                    + node + "; the subject must be CN=" + node);
        }
        return pub;
    }

    /** A certificate for {@code node}'s public key, signed by this CA. */
    public X509Certificate issue(NodeId node, PublicKey publicKey, Instant now, Duration validity) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)),
                    new X500Principal(name(clusterId, node.value()).getEncoded()), publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(certificate));
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new GdException(ErrorCode.INTERNAL, "cannot sign a certificate for " + node + ": " + e, "",
                    List.of(), e);
        }
    }

    public String clusterId() {
        return clusterId;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** SHA-256 of the CA certificate (hex); a join token pins it. */
    public String fingerprint() {
        return fingerprint;
    }

    public String certificatePem() {
        return Pem.encode(certificate);
    }

    /** The CA's private key in PKCS#8 PEM. Whoever holds it can make members: keep it in the cluster store only. */
    public String keyPem() {
        return Pem.encode(key);
    }

    @Override
    public String toString() {
        return "ClusterCa[" + clusterId + ", sha256=" + fingerprint + "]";
    }

    /** The value of one attribute (CN, OU ...) of a certificate subject; empty when absent. */
    public static String attribute(X500Principal principal, org.bouncycastle.asn1.ASN1ObjectIdentifier attr) {
        X500Name n = X500Name.getInstance(principal.getEncoded());
        var rdns = n.getRDNs(attr);
        return rdns.length == 0 ? "" : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    static void requireClusterId(String clusterId) {
        Objects.requireNonNull(clusterId, "clusterId");
        if (clusterId.isBlank() || clusterId.length() > 64) {
            throw GdException.invalid("cluster id '" + clusterId + "' is not usable",
                    "give 1 to 64 characters, for example a UUID");
        }
    }

    private static X500Name name(String clusterId, String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "gd-kit").addRDN(BCStyle.OU, clusterId)
                .addRDN(BCStyle.CN, cn).build();
    }

    private static BigInteger serial() {
        return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
    }

    private static GdException refused(String message) {
        return new GdException(ErrorCode.JOIN_REFUSED, message,
                "let gd-kit make the request: GrpcTransport sends a valid CSR when it joins with a token");
    }
}
