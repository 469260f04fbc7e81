package dev.gdkit.grpc.transport;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.grpc.security.ClusterCa;
import dev.gdkit.grpc.security.NodeCredentials;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS identity and trust of one transport, replaceable while it runs: a node that joins gets
 * its certificate after its server started, so both managers read the current state on every
 * handshake. Each identity has its own alias, so no TLS library can serve a cached older key.
 *
 * <p>Peers are authenticated by the cluster CA alone (PKIX path to the CA); host names are not
 * checked, because nodes are dialled by addresses that change while their identity does not.
 */
final class TlsMaterial {
    private record Identity(String alias, PrivateKey key, X509Certificate[] chain, boolean member) {
    }

    private record Trust(X509Certificate ca, X509TrustManager delegate) {
    }

    private final AtomicInteger generation = new AtomicInteger();
    private volatile Identity identity;
    private volatile Trust trust;
    private final KeyManager keyManager = new KeyManager();
    private final ClusterTrustManager trustManager = new ClusterTrustManager();

    private TlsMaterial() {
    }

    static TlsMaterial member(NodeCredentials credentials) {
        TlsMaterial m = new TlsMaterial();
        m.install(credentials);
        return m;
    }

    /**
     * A node that has not joined yet: it serves a throw-away self-signed certificate (nobody trusts
     * it), presents no client certificate, and trusts no peer until {@link #install}.
     */
    static TlsMaterial unjoined(NodeId node, KeyPair keys) {
        TlsMaterial m = new TlsMaterial();
        ClusterCa throwAway = ClusterCa.create("unjoined-" + node.value().substring(0, Math.min(40, node.value().length())),
                Instant.now(), Duration.ofDays(1));
        X509Certificate cert = throwAway.issue(node, keys.getPublic(), Instant.now(), Duration.ofDays(1));
        m.identity = new Identity("gd-" + m.generation.incrementAndGet(), keys.getPrivate(),
                new X509Certificate[] {cert}, false);
        return m;
    }

    void install(NodeCredentials credentials) {
        trust = new Trust(credentials.ca(), pkix(credentials.ca()));
        identity = new Identity("gd-" + generation.incrementAndGet(), credentials.key(),
                new X509Certificate[] {credentials.certificate(), credentials.ca()}, true);
    }

    boolean isMember() {
        Identity id = identity;
        return id != null && id.member();
    }

    X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    /** A JDK PKIX trust manager that trusts exactly {@code ca}. */
    static X509TrustManager pkix(X509Certificate ca) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("cluster-ca", ca);
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(ks);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("the PKIX trust manager factory made no X509TrustManager");
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a trust manager for " + ca.getSubjectX500Principal(), e);
        }
    }

    static String subject(X509Certificate[] chain) {
        return chain == null || chain.length == 0 ? "(no certificate)"
                : chain[0].getSubjectX500Principal().getName();
    }

    private final class KeyManager extends X509ExtendedKeyManager {
        private String alias(String keyType, boolean client) {
            Identity id = identity;
            if (id == null || (client && !id.member())) {
                return null;
            }
            String alg = id.key().getAlgorithm();
            return keyType == null || keyType.equals(alg) || keyType.startsWith(alg + "_") ? id.alias() : null;
        }

        private String clientAlias(String[] keyTypes) {
            if (keyTypes == null) {
                return alias(null, true);
            }
            return Arrays.stream(keyTypes).map(t -> alias(t, true)).filter(a -> a != null).findFirst().orElse(null);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            String a = alias(keyType, true);
            return a == null ? null : new String[] {a};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return clientAlias(keyType);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return clientAlias(keyType);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            String a = alias(keyType, false);
            return a == null ? null : new String[] {a};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return alias(keyType, false);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return alias(keyType, false);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            Identity id = identity;
            return id != null && id.alias().equals(alias) ? id.chain().clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            Identity id = identity;
            return id != null && id.alias().equals(alias) ? id.key() : null;
        }
    }

    private final class ClusterTrustManager extends PathOnlyTrustManager {
        private Trust trust(X509Certificate[] chain) throws CertificateException {
            Trust t = trust;
            if (t == null) {
                throw new CertificateException("this node has not joined a cluster yet and trusts no peer; refused "
                        + subject(chain));
            }
            return t;
        }

        private CertificateException refused(X509Certificate[] chain, Trust t, CertificateException e) {
            return new CertificateException("certificate " + subject(chain) + " was not issued by this cluster's CA ("
                    + t.ca().getSubjectX500Principal().getName() + "): " + e.getMessage(), e);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            Trust t = trust(chain);
            try {
                t.delegate().checkClientTrusted(chain, authType);
            } catch (CertificateException e) {
                throw refused(chain, t, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            Trust t = trust(chain);
            try {
                t.delegate().checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw refused(chain, t, e);
            }
        }





        @Override
        public X509Certificate[] getAcceptedIssuers() {
            Trust t = trust;
            return t == null ? new X509Certificate[0] : new X509Certificate[] {t.ca()};
        }
    }
}
