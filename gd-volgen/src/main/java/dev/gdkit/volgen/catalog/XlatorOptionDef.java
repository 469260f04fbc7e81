package dev.gdkit.volgen.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One entry of a translator's own option table ({@code volume_option_t} in GlusterFS).
 *
 * @param keys the option's names (the first is canonical, the others aliases)
 * @param type the value type's name ({@code SIZET}, {@code BOOL}, ...; see
 *             {@link dev.gdkit.core.volgen.OptionType})
 * @param min the lower bound (0 with {@code max} 0: no range)
 * @param max the upper bound
 * @param values accepted values (fnmatch patterns in GlusterFS; empty: any)
 * @param defaultValue the default ("" for none)
 * @param description the description ("" for none)
 * @param validate which bounds apply: BOTH, MIN or MAX
 * @param opVersion the op-version that introduced it (0 unknown)
 * @param flags GlusterFS's OPT_FLAG_* bits
 * @param setkey the key it is stored as, when different ("" for none)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record XlatorOptionDef(List<String> keys, String type, double min, double max, List<String> values,
                              String defaultValue, String description, String validate, int opVersion, int flags,
                              String setkey) {
    public XlatorOptionDef {
        keys = List.copyOf(keys);
        values = values == null ? List.of() : List.copyOf(values);
        defaultValue = defaultValue == null ? "" : defaultValue;
        description = description == null ? "" : description;
        validate = validate == null ? "BOTH" : validate;
        setkey = setkey == null ? "" : setkey;
    }

    /** Whether {@code name} is one of this option's keys. */
    public boolean named(String name) {
        return keys.contains(name);
    }

    /** Whether a range applies (GlusterFS skips the check when both bounds are 0). */
    public boolean ranged() {
        return min != 0 || max != 0;
    }
}
