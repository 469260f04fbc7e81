package dev.gdkit.volgen.catalog;

import java.util.Locale;

/** GlusterFS's boolean spellings: on/off, yes/no, true/false, enable/disable, 1/0, in any case. */
public final class GlusterBoolean {
    private GlusterBoolean() {
    }

    /** Whether the value is one of the spellings. */
    public static boolean isBoolean(String v) {
        return v != null && (isTrue(v) || switch (v.toLowerCase(Locale.ROOT)) {
            case "off", "no", "false", "disable", "0" -> true;
            default -> false;
        });
    }

    /** Whether the value is a spelling of true. */
    public static boolean isTrue(String v) {
        return v != null && switch (v.toLowerCase(Locale.ROOT)) {
            case "on", "yes", "true", "enable", "1" -> true;
            default -> false;
        };
    }
}
