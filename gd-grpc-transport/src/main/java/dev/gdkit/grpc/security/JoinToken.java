package dev.gdkit.grpc.security;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A one-time join token as the operator copies it: {@code gdjoin1.<id>.<secret>.<ca-sha256>}.
 * The id names the token in the cluster's {@link SecurityStore}; the secret proves possession (the
 * store keeps only its SHA-256); the CA fingerprint lets the joiner authenticate the member it dials
 * before it has any certificate. {@link #toString()} hides the secret.
 *
 * @param id 16 lower-case hex characters
 * @param secret 43 base64url characters (256 random bits)
 * @param caFingerprint SHA-256 of the cluster CA certificate, 64 lower-case hex characters
 */
public record JoinToken(String id, String secret, String caFingerprint) {
    static final String PREFIX = "gdjoin1";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");

    public JoinToken {
        check(ID.matcher(String.valueOf(id)).matches(), "its id is not 16 hex characters");
        check(SECRET.matcher(String.valueOf(secret)).matches(), "its secret is not 43 base64url characters");
        check(FINGERPRINT.matcher(String.valueOf(caFingerprint)).matches(),
                "its CA fingerprint is not 64 hex characters");
    }

    /** A new random token for the CA with {@code caFingerprint}. */
    public static JoinToken random(String caFingerprint, SecureRandom random) {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        return new JoinToken(HexFormat.of().formatHex(id),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret), caFingerprint);
    }

    /** Reads a token as {@link #encode()} wrote it; a clear JOIN_REFUSED error when it is malformed. */
    public static JoinToken parse(String text) {
        Objects.requireNonNull(text, "join token");
        String[] parts = text.trim().split("\\.", -1);
        check(parts.length == 4 && parts[0].equals(PREFIX),
                "expected " + PREFIX + ".<id>.<secret>.<ca-sha256> (" + parts.length + " dot-separated parts found)");
        return new JoinToken(parts[1], parts[2], parts[3]);
    }

    public String encode() {
        return PREFIX + "." + id + "." + secret + "." + caFingerprint;
    }

    @Override
    public String toString() {
        return "JoinToken[" + id + ", ca sha256=" + caFingerprint + "]";
    }

    private static void check(boolean ok, String why) {
        if (!ok) {
            throw new GdException(ErrorCode.JOIN_REFUSED, "the join token is malformed: " + why,
                    "copy the whole token exactly as a member printed it, or ask a member for a new one");
        }
    }
}
