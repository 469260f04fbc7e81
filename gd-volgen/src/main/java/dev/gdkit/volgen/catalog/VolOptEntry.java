package dev.gdkit.volgen.catalog;

import java.util.Objects;

/**
 * One row of glusterd's volume-option map: a user-visible key and the translator option it sets.
 *
 * @param key the user-visible key ({@code performance.cache-size})
 * @param voltype the translator type the option goes to ({@code performance/quick-read}), or a
 *                pseudo type such as {@code mgmt/glusterd} for keys no translator reads
 * @param option the translator option name; starts with {@code !} when volgen interprets the key
 *               itself (enabling a translator, log levels, auth)
 * @param defaultValue the value applied when the key is not set ("" for none)
 * @param opVersion the op-version that introduced the key
 * @param doc the documentation class (DOC, NO_DOC, GLOBAL_DOC, GLOBAL_NO_DOC or "")
 * @param flags the map flags, for example {@code VOLOPT_FLAG_CLIENT_OPT|VOLOPT_FLAG_XLATOR_OPT}
 * @param validateFn the name of glusterd's extra validation for the key ("" for none)
 */
public record VolOptEntry(String key, String voltype, String option, String defaultValue, int opVersion,
                          String doc, String flags, String validateFn) {
    public VolOptEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(voltype, "voltype");
        option = option == null || option.isEmpty() ? key.substring(key.lastIndexOf('.') + 1) : option;
        defaultValue = defaultValue == null ? "" : defaultValue;
        doc = doc == null ? "" : doc;
        flags = flags == null ? "" : flags;
        validateFn = validateFn == null ? "" : validateFn;
    }

    /** Whether volgen interprets the key itself instead of copying it into translators. */
    public boolean special() {
        return option.startsWith("!");
    }

    /** Whether the key affects client graphs. */
    public boolean clientOption() {
        return flags.contains("CLIENT_OPT");
    }

    /** Whether the key may only be set cluster-wide. */
    public boolean global() {
        return doc.startsWith("GLOBAL");
    }
}
