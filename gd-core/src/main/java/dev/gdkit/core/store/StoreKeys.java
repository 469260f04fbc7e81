package dev.gdkit.core.store;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.util.regex.Pattern;

/**
 * The rules every store key follows, whatever the implementation. A key is one or more segments
 * joined by {@code /}; a segment is 1 to 200 characters from {@code [A-Za-z0-9._:@=+-]} and is
 * neither {@code .} nor {@code ..}. Keys are relative: no leading or trailing slash.
 */
public final class StoreKeys {
    /** The largest value the contract allows (ZooKeeper's packet limit is 1 MiB; this keeps room). */
    public static final int MAX_VALUE_BYTES = 512 * 1024;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._:@=+-]{1,200}");

    private StoreKeys() {
    }

    /** Checks a key; throws STORE_INVALID saying what is wrong. */
    public static String check(String key) {
        if (key == null || key.isEmpty()) {
            throw new GdException(ErrorCode.STORE_INVALID, "store key is empty", "give a key such as 'volumes/vol1'");
        }
        for (String seg : key.split("/", -1)) {
            if (!SEGMENT.matcher(seg).matches() || seg.equals(".") || seg.equals("..")) {
                throw new GdException(ErrorCode.STORE_INVALID, "store key '" + key + "' has an invalid segment '" + seg + "'",
                        "segments are 1 to 200 characters of letters, digits and . _ : @ = + -, and not '.' or '..'");
            }
        }
        return key;
    }

    /** Checks a value's size; throws STORE_INVALID naming the key and the size. */
    public static byte[] checkValue(String key, byte[] value) {
        if (value == null) {
            throw new GdException(ErrorCode.STORE_INVALID, "value for store key '" + key + "' is null", "store an empty array instead");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new GdException(ErrorCode.STORE_INVALID, "value for store key '" + key + "' is " + value.length
                    + " bytes, more than the limit of " + MAX_VALUE_BYTES,
                    "split the object into one key per item; nothing in the store may grow without bound in one key");
        }
        return value;
    }

    /** Joins segments into a key. */
    public static String join(String first, String... more) {
        StringBuilder sb = new StringBuilder(first);
        for (String m : more) {
            sb.append('/').append(m);
        }
        return sb.toString();
    }

    /** The parent key, or null for a top-level key. */
    public static String parent(String key) {
        int i = key.lastIndexOf('/');
        return i < 0 ? null : key.substring(0, i);
    }

    /** The last segment. */
    public static String name(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /** Whether {@code key} is {@code prefix} or below it. */
    public static boolean isWithin(String key, String prefix) {
        return key.equals(prefix) || key.startsWith(prefix + "/");
    }
}
