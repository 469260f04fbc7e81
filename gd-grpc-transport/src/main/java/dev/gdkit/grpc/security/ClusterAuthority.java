package dev.gdkit.grpc.security;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's view of the cluster's trust: the CA (kept in a {@link SecurityStore}), join tokens and
 * the admission of new nodes. Any member with the same store can issue tokens and admit nodes.
 *
 * <h2>Token lifecycle</h2>
 * {@link #issueToken} stores a record (id, SHA-256 of the secret, expiry) and returns the token
 * text once; {@link #admit} checks the token (well formed, known, this cluster's CA, right secret,
 * unused, unexpired), marks it used with a compare-and-set <em>before</em> it signs anything (so a
 * token admits at most one node even under races; a join that fails later has still spent it), then
 * signs the joiner's CSR. Every refusal is a {@link GdException} with code {@code JOIN_REFUSED} that
 * says which check failed and what to do. Thread-safe.
 */
public final class ClusterAuthority {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterAuthority.class);
    /** The longest a join token may live. */
    public static final Duration MAX_TOKEN_TTL = Duration.ofDays(7);

    private final SecurityStore store;
    private final ClusterCa ca;
    private final Clock clock;
    private final Duration certificateValidity;
    private final SecureRandom random = new SecureRandom();

    private ClusterAuthority(SecurityStore store, ClusterCa ca, Clock clock, Duration certificateValidity) {
        this.store = store;
        this.ca = ca;
        this.clock = clock;
        this.certificateValidity = certificateValidity;
    }

    /**
     * Creates the CA of a new cluster in {@code store}. Refused with ALREADY_EXISTS when the store
     * already has a CA (the cluster exists: use {@link #open}).
     */
    public static ClusterAuthority create(String clusterId, SecurityStore store, Clock clock) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        ClusterCa ca = ClusterCa.create(clusterId, clock.instant(), Duration.ofDays(3650));
        if (!store.createCa(new StoredCa(clusterId, ca.certificatePem(), ca.keyPem()))) {
            throw new GdException(ErrorCode.ALREADY_EXISTS, "the security store already holds the CA of cluster "
                    + store.ca().map(StoredCa::clusterId).orElse("?"),
                    "open the existing cluster's authority instead of creating a new one");
        }
        LOG.info("created the certificate authority of cluster {} (sha256 {})", clusterId, ca.fingerprint());
        return new ClusterAuthority(store, ca, clock, Duration.ofDays(365));
    }

    /** The authority of the cluster whose CA {@code store} holds; FAILED_PRECONDITION when it holds none. */
    public static ClusterAuthority open(SecurityStore store, Clock clock) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        StoredCa stored = store.ca().orElseThrow(() -> new GdException(ErrorCode.FAILED_PRECONDITION,
                "the security store holds no cluster CA", "create the cluster first (ClusterAuthority.create)"));
        return new ClusterAuthority(store, ClusterCa.fromPem(stored.certificatePem(), stored.privateKeyPem()), clock,
                Duration.ofDays(365));
    }

    public String clusterId() {
        return ca.clusterId();
    }

    public ClusterCa ca() {
        return ca;
    }

    /** Key pair and certificate for a member, signed directly (the first node of the cluster). */
    public NodeCredentials issueCredentials(NodeId node) {
        return NodeCredentials.issue(ca, node, clock.instant(), certificateValidity);
    }

    /** A new one-time token, valid for {@code ttl} (more than 0, at most {@link #MAX_TOKEN_TTL}). */
    public IssuedToken issueToken(NodeId issuer, Duration ttl) {
        Objects.requireNonNull(issuer, "issuer");
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TOKEN_TTL) > 0) {
            throw GdException.invalid("join token lifetime " + ttl + " is out of range",
                    "give a lifetime above 0 and at most " + MAX_TOKEN_TTL.toDays() + " days, for example 1 hour");
        }
        JoinToken token = JoinToken.random(ca.fingerprint(), random);
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        store.addToken(new TokenRecord(token.id(), sha256(token.secret()), issuer, now, expires, "", null));
        LOG.info("issued join token {} (expires {}) by {}", token.id(), expires, issuer);
        return new IssuedToken(token, expires);
    }

    /**
     * Admits {@code joiner}: checks and spends {@code tokenText}, then signs {@code csrPem}.
     *
     * @throws GdException JOIN_REFUSED naming the failed check
     */
    public Enrollment admit(String tokenText, NodeId joiner, String csrPem) {
        TokenRecord rec = verify(tokenText, joiner);
        if (csrPem == null || csrPem.isBlank()) {
            throw refused("node " + joiner + " sent no certificate signing request with its join token",
                    "join with GrpcTransport in joining mode, which sends one");
        }
        var publicKey = ca.verify(Pem.csr(csrPem, "certificate signing request of " + joiner), joiner);
        Instant now = spend(rec, joiner);
        var cert = ca.issue(joiner, publicKey, now, certificateValidity);
        LOG.info("admitted node {} with join token {}", joiner, rec.id());
        return new Enrollment(Pem.encode(cert), ca.certificatePem());
    }

    /**
     * Checks and spends {@code tokenText} without issuing a certificate: for transports without
     * TLS (plaintext behind the insecure switch, gRPC in-process), where the token still gates joins.
     *
     * @throws GdException JOIN_REFUSED naming the failed check
     */
    public void redeem(String tokenText, NodeId joiner) {
        TokenRecord rec = verify(tokenText, joiner);
        spend(rec, joiner);
        LOG.info("admitted node {} with join token {} (no certificate: plaintext transport)", joiner, rec.id());
    }

    private TokenRecord verify(String tokenText, NodeId joiner) {
        Objects.requireNonNull(joiner, "joiner");
        if (tokenText == null || tokenText.isBlank()) {
            throw refused("node " + joiner + " presented no join token and no cluster certificate",
                    "ask a member for a join token and join with it");
        }
        JoinToken token = JoinToken.parse(tokenText);
        if (!token.caFingerprint().equals(ca.fingerprint())) {
            throw refused("join token " + token.id() + " belongs to another cluster (its CA sha256 is "
                    + token.caFingerprint() + ", this cluster's is " + ca.fingerprint() + ")",
                    "ask a member of the cluster you want to join for a token");
        }
        TokenRecord rec = store.token(token.id()).orElseThrow(() -> refused(
                "join token " + token.id() + " is not known to cluster " + clusterId(),
                "ask a member of the cluster for a new token"));
        if (!MessageDigest.isEqual(rec.secretSha256().getBytes(StandardCharsets.US_ASCII),
                sha256(token.secret()).getBytes(StandardCharsets.US_ASCII))) {
            throw refused("join token " + token.id() + " has a wrong secret", "copy the whole token exactly");
        }
        if (rec.used()) {
            throw usedError(rec);
        }
        Instant now = clock.instant();
        if (!now.isBefore(rec.expiresAt())) {
            throw refused("join token " + token.id() + " expired at " + rec.expiresAt() + " (now " + now + ")",
                    "ask a member for a new token and use it before it expires");
        }
        return rec;
    }

    private Instant spend(TokenRecord rec, NodeId joiner) {
        Instant now = clock.instant();
        if (!store.replaceToken(rec, rec.usedBy(joiner, now))) {
            throw usedError(store.token(rec.id()).orElse(rec));
        }
        return now;
    }

    private static GdException usedError(TokenRecord rec) {
        return refused("join token " + rec.id() + " was already used" + (rec.usedBy().isEmpty() ? ""
                : " by node " + rec.usedBy()) + rec.usedWhen().map(t -> " at " + t).orElse("")
                + "; a token admits one node only", "ask a member for a new token");
    }

    private static GdException refused(String message, String remedy) {
        return new GdException(ErrorCode.JOIN_REFUSED, message, remedy);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
