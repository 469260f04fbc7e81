package dev.gdkit.zookeeper.embedded;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ZooKeeper superuser of the servers embedded in this JVM, which is what may change an
 * ensemble's voters (dynamic reconfiguration).
 *
 * <p>ZooKeeper knows one superuser per JVM: the system property
 * {@value #SUPER_DIGEST_PROPERTY} ({@code super:<base64 digest of "super:password">}), read once
 * into a static field when its digest provider class is first loaded. So this is JVM-global
 * state that ZooKeeper forces; gd-kit keeps it deliberately small:
 *
 * <ul>
 *   <li>{@link #install()} (called before every embedded server starts) sets the property to the
 *       digest of a random 192-bit password, unless the property is set already;</li>
 *   <li>the password exists only in this JVM's memory. It is never written to disk, sent to other
 *       nodes or put in the store; each daemon process has its own;</li>
 *   <li>a superuser session therefore only works against a server in the same JVM: the ensemble
 *       controller reconfigures through its own node's server, which forwards the request, with
 *       the superuser identity it authenticated, to the ensemble's leader.</li>
 * </ul>
 *
 * <p>When the property was set outside gd-kit (for example {@code -D...superDigest=...} on the
 * command line, as the module's tests do), gd-kit does not know the password: give it to the
 * controller explicitly.
 */
public final class JvmSuperUser {
    private static final Logger LOG = LoggerFactory.getLogger(JvmSuperUser.class);

    /** The system property ZooKeeper reads the superuser's digest from. */
    public static final String SUPER_DIGEST_PROPERTY = "zookeeper.DigestAuthenticationProvider.superDigest";
    /** The superuser's name in ZooKeeper's digest scheme. */
    public static final String USER = "super";
    private static final String PROVIDER = "org.apache.zookeeper.server.auth.DigestAuthenticationProvider";
    static final String UNKNOWN = "(unknown)";

    // the only mutable static state: the password whose digest install() put into the property
    private static String password;

    private JvmSuperUser() {
    }

    /**
     * Sets the superuser digest property to a random password's digest unless it is set already,
     * and makes ZooKeeper read it. Idempotent; safe to call from any thread.
     */
    public static synchronized void install() {
        if (password != null || System.getProperty(SUPER_DIGEST_PROPERTY) != null) {
            return;
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String chosen = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        System.setProperty(SUPER_DIGEST_PROPERTY, digest(chosen));
        password = chosen;
        String effective = effectiveDigest();
        if (!UNKNOWN.equals(effective) && !digest(chosen).equals(effective)) {
            LOG.warn("ZooKeeper's digest provider was loaded before gd-kit set a superuser; ensemble reconfiguration "
                    + "from this JVM will be refused (set {} before any ZooKeeper server starts)", SUPER_DIGEST_PROPERTY);
        }
    }

    /**
     * The password of this JVM's superuser when {@link #install()} chose it; otherwise a
     * {@code FAILED_PRECONDITION} error saying how to give it.
     */
    public static synchronized String password() {
        install();
        if (password == null) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "the ZooKeeper superuser of this JVM was set outside gd-kit ("
                    + SUPER_DIGEST_PROPERTY + "), so its password is unknown",
                    "give the password to the ensemble controller (superPassword), or do not set the property");
        }
        return password;
    }

    /** {@code super:<base64 digest>} for a password, as ZooKeeper computes it (SHA1 unless configured otherwise). */
    public static String digest(String password) {
        String algorithm = System.getProperty("zookeeper.DigestAuthenticationProvider.digestAlg", "SHA1");
        try {
            byte[] d = MessageDigest.getInstance(algorithm).digest((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
            return USER + ":" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new GdException(ErrorCode.INTERNAL, "digest algorithm " + algorithm + " is not available", "use SHA1 (the default)");
        }
    }

    /**
     * The digest ZooKeeper's provider actually uses (loading the class if needed; null when it has
     * none), or {@link #UNKNOWN} when it cannot be read.
     */
    static String effectiveDigest() {
        try {
            Class<?> c = Class.forName(PROVIDER, true, JvmSuperUser.class.getClassLoader());
            Field f = c.getDeclaredField("superDigest");
            f.setAccessible(true);
            return (String) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return UNKNOWN;
        }
    }
}
