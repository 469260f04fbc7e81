package dev.gdkit.grpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ClusterAuthorityTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final InMemorySecurityStore store = new InMemorySecurityStore();
    private final ClusterAuthority authority = ClusterAuthority.create("c1", store, clock);
    private final NodeId n1 = NodeId.of("n1");

    private static String csrFor(NodeId node) {
        return ClusterCa.csrPem(node, ClusterCa.newKeyPair());
    }

    private static GdException refusal(Runnable r) {
        try {
            r.run();
        } catch (GdException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.JOIN_REFUSED);
            assertThat(e.remedy()).isNotBlank();
            return e;
        }
        throw new AssertionError("expected a JOIN_REFUSED error");
    }

    @Test
    void aValidTokenAdmitsOnceAndTheCertificateChainsToTheCa() throws Exception {
        IssuedToken t = authority.issueToken(n1, Duration.ofMinutes(10));
        assertThat(t.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        var keys = ClusterCa.newKeyPair();
        Enrollment e = authority.admit(t.token().encode(), NodeId.of("n2"), ClusterCa.csrPem(NodeId.of("n2"), keys));
        var creds = new NodeCredentials(NodeId.of("n2"), keys.getPrivate(),
                Pem.certificate(e.certificatePem(), "cert"), Pem.certificate(e.caPem(), "ca"));
        assertThat(creds.clusterId()).isEqualTo("c1");
        assertThat(Pem.fingerprint(creds.ca())).isEqualTo(authority.ca().fingerprint());
        TokenRecord rec = store.token(t.token().id()).orElseThrow();
        assertThat(rec.usedBy()).isEqualTo("n2");
        assertThat(rec.usedAt()).isEqualTo(clock.instant());
        assertThat(rec.secretSha256()).doesNotContain(t.token().secret());
    }

    @Test
    void aUsedTokenIsRefused() {
        IssuedToken t = authority.issueToken(n1, Duration.ofMinutes(10));
        authority.admit(t.token().encode(), NodeId.of("n2"), csrFor(NodeId.of("n2")));
        GdException e = refusal(() -> authority.admit(t.token().encode(), NodeId.of("n3"), csrFor(NodeId.of("n3"))));
        assertThat(e.getMessage()).contains("was already used by node n2").contains(t.token().id());
    }

    @Test
    void anExpiredTokenIsRefused() {
        IssuedToken t = authority.issueToken(n1, Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(10));
        GdException e = refusal(() -> authority.admit(t.token().encode(), NodeId.of("n2"), csrFor(NodeId.of("n2"))));
        assertThat(e.getMessage()).contains("expired at 2026-11-22T10:10:00Z");
        assertThat(store.token(t.token().id()).orElseThrow().used()).isFalse();
    }

    @Test
    void aTokenWithAWrongSecretUnknownIdOrOtherCaIsRefused() {
        IssuedToken t = authority.issueToken(n1, Duration.ofMinutes(10));
        JoinToken wrongSecret = new JoinToken(t.token().id(), "A".repeat(43), t.token().caFingerprint());
        assertThat(refusal(() -> authority.admit(wrongSecret.encode(), NodeId.of("n2"), csrFor(NodeId.of("n2"))))
                .getMessage()).contains("wrong secret");
        JoinToken unknown = new JoinToken("0123456789abcdef", t.token().secret(), t.token().caFingerprint());
        assertThat(refusal(() -> authority.admit(unknown.encode(), NodeId.of("n2"), csrFor(NodeId.of("n2"))))
                .getMessage()).contains("is not known to cluster c1");
        JoinToken otherCa = new JoinToken(t.token().id(), t.token().secret(), "0".repeat(64));
        assertThat(refusal(() -> authority.admit(otherCa.encode(), NodeId.of("n2"), csrFor(NodeId.of("n2"))))
                .getMessage()).contains("belongs to another cluster");
        assertThat(store.token(t.token().id()).orElseThrow().used()).isFalse();
    }

    @Test
    void malformedOrMissingTokensAreRefused() {
        assertThat(refusal(() -> authority.admit("", NodeId.of("n2"), csrFor(NodeId.of("n2")))).getMessage())
                .contains("presented no join token");
        assertThat(refusal(() -> authority.admit("gdjoin1.abc", NodeId.of("n2"), csrFor(NodeId.of("n2"))))
                .getMessage()).contains("malformed").contains("2 dot-separated parts");
        assertThat(refusal(() -> JoinToken.parse("gdjoin1.XYZ.s.f")).getMessage()).contains("id is not 16 hex");
    }

    @Test
    void aCsrForAnotherNodeOrMissingIsRefusedAndDoesNotSpendTheToken() {
        IssuedToken t = authority.issueToken(n1, Duration.ofMinutes(10));
        assertThat(refusal(() -> authority.admit(t.token().encode(), NodeId.of("n2"), csrFor(NodeId.of("evil"))))
                .getMessage()).contains("CN=evil").contains("the joiner is n2");
        assertThat(refusal(() -> authority.admit(t.token().encode(), NodeId.of("n2"), null)).getMessage())
                .contains("no certificate signing request");
        assertThat(store.token(t.token().id()).orElseThrow().used()).isFalse();
        authority.admit(t.token().encode(), NodeId.of("n2"), csrFor(NodeId.of("n2")));
    }

    @Test
    void tokenLifetimeMustBeInRange() {
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(8), null}) {
            assertThatThrownBy(() -> authority.issueToken(n1, bad)).isInstanceOf(GdException.class)
                    .hasMessageContaining("lifetime").extracting(x -> ((GdException) x).code())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        }
    }

    @Test
    void aClusterIsCreatedOnceAndOpenedFromItsStore() {
        assertThatThrownBy(() -> ClusterAuthority.create("c2", store, clock)).isInstanceOf(GdException.class)
                .hasMessageContaining("already holds the CA of cluster c1");
        ClusterAuthority reopened = ClusterAuthority.open(store, clock);
        assertThat(reopened.clusterId()).isEqualTo("c1");
        assertThat(reopened.ca().fingerprint()).isEqualTo(authority.ca().fingerprint());
        IssuedToken t = authority.issueToken(n1, Duration.ofMinutes(1));
        reopened.admit(t.token().encode(), NodeId.of("n2"), csrFor(NodeId.of("n2")));
        assertThatThrownBy(() -> ClusterAuthority.open(new InMemorySecurityStore(), clock))
                .isInstanceOf(GdException.class).hasMessageContaining("holds no cluster CA");
    }

    @Test
    void racingJoinersSpendATokenOnce() throws Exception {
        IssuedToken t = authority.issueToken(n1, Duration.ofMinutes(10));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Enrollment>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                NodeId n = NodeId.of("j" + i);
                String csr = csrFor(n);
                fs.add(pool.submit((Callable<Enrollment>) () -> authority.admit(t.token().encode(), n, csr)));
            }
            int ok = 0;
            for (Future<Enrollment> f : fs) {
                try {
                    f.get();
                    ok++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(((GdException) e.getCause()).getMessage()).contains("already used");
                }
            }
            assertThat(ok).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void credentialsRefuseACertificateOfAnotherCaOrNode() {
        ClusterAuthority other = ClusterAuthority.create("c2", new InMemorySecurityStore(), clock);
        NodeCredentials mine = authority.issueCredentials(n1);
        assertThatThrownBy(() -> new NodeCredentials(n1, mine.key(), mine.certificate(), other.ca().certificate()))
                .isInstanceOf(GdException.class).hasMessageContaining("was not signed by CA");
        assertThatThrownBy(() -> new NodeCredentials(NodeId.of("n9"), mine.key(), mine.certificate(), mine.ca()))
                .isInstanceOf(GdException.class).hasMessageContaining("is not for node n9");
        NodeCredentials back = NodeCredentials.fromPem(n1, mine.keyPem(), mine.certificatePem(), mine.caPem());
        assertThat(back.certificate()).isEqualTo(mine.certificate());
        assertThat(back.key()).isEqualTo(mine.key());
    }

    @Test
    void badPemIsRefusedWithWhatWasExpected() {
        assertThatThrownBy(() -> Pem.certificate("not pem", "node certificate")).isInstanceOf(GdException.class)
                .hasMessageContaining("node certificate is not valid").hasMessageContaining("no PEM block");
        String keyPem = authority.issueCredentials(n1).keyPem();
        assertThatThrownBy(() -> Pem.certificate(keyPem, "node certificate")).isInstanceOf(GdException.class)
                .hasMessageContaining("not a PEM certificate");
        assertThatThrownBy(() -> Pem.privateKey("", "key")).isInstanceOf(GdException.class)
                .hasMessageContaining("it is empty");
        assertThatThrownBy(() -> ClusterCa.fromPem(authority.issueCredentials(n1).certificatePem(), keyPem))
                .isInstanceOf(GdException.class).hasMessageContaining("is not a gd-kit cluster CA");
    }
}
