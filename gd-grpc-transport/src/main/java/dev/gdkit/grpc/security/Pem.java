package dev.gdkit.grpc.security;

import dev.gdkit.api.error.GdException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** PEM encoding and decoding of certificates, private keys and certificate signing requests. */
public final class Pem {
    private Pem() {
    }

    /** PEM text of a certificate, a private key (PKCS#8) or a CSR. */
    public static String encode(Object value) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            if (value instanceof PrivateKey key) {
                w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
            } else {
                w.writeObject(value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static X509Certificate certificate(String pem, String what) {
        Object o = read(pem, what);
        if (!(o instanceof X509CertificateHolder h)) {
            throw bad(what, "it is not a PEM certificate (found " + describe(o) + ")");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (CertificateException e) {
            throw bad(what, e.getMessage());
        }
    }

    public static PrivateKey privateKey(String pem, String what) {
        Object o = read(pem, what);
        try {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                return conv.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return conv.getKeyPair(pair).getPrivate();
            }
        } catch (IOException e) {
            throw bad(what, e.getMessage());
        }
        throw bad(what, "it is not an unencrypted PEM private key (found " + describe(o) + ")");
    }

    public static PKCS10CertificationRequest csr(String pem, String what) {
        Object o = read(pem, what);
        if (!(o instanceof PKCS10CertificationRequest csr)) {
            throw bad(what, "it is not a PEM certificate signing request (found " + describe(o) + ")");
        }
        return csr;
    }

    /** SHA-256 of the certificate's DER encoding, lower-case hex (64 characters). */
    public static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate " + cert.getSubjectX500Principal(), e);
        }
    }

    private static Object read(String pem, String what) {
        if (pem == null || pem.isBlank()) {
            throw bad(what, "it is empty");
        }
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (o == null) {
                throw bad(what, "no PEM block found (expected -----BEGIN ...-----)");
            }
            return o;
        } catch (IOException e) {
            throw bad(what, e.getMessage());
        }
    }

    private static String describe(Object o) {
        return o.getClass().getSimpleName();
    }

    private static GdException bad(String what, String why) {
        return GdException.invalid(what + " is not valid: " + why, "give the PEM text exactly as gd-kit wrote it");
    }
}
