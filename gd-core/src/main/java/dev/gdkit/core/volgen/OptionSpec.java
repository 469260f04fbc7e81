package dev.gdkit.core.volgen;

import dev.gdkit.api.model.OpVersion;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One settable volume option as the catalog knows it.
 *
 * @param key the canonical key ({@code performance.cache-size})
 * @param aliases other names accepted for it (GD1 short forms, translator option names)
 * @param xlatorTypes the translator types it configures (empty for glusterd-only keys)
 * @param xlatorOption the option name written into the volfile ({@code cache-size}); empty for keys
 *                     interpreted by volgen itself
 * @param type the value type
 * @param min the lower bound, when the type is ranged and a bound exists
 * @param max the upper bound, when the type is ranged and a bound exists
 * @param allowedValues the accepted values (empty: any value of the type)
 * @param defaultValue the effective default ("" when none)
 * @param opVersion the op-version that introduced the key
 * @param side which processes it affects
 * @param description a one-line description ("" when none)
 */
public record OptionSpec(String key, List<String> aliases, List<String> xlatorTypes, String xlatorOption,
                         OptionType type, Optional<Double> min, Optional<Double> max, List<String> allowedValues,
                         String defaultValue, OpVersion opVersion, OptionSide side, String description) {
    public OptionSpec {
        Objects.requireNonNull(key, "key");
        aliases = List.copyOf(aliases);
        xlatorTypes = List.copyOf(xlatorTypes);
        xlatorOption = xlatorOption == null ? "" : xlatorOption;
        Objects.requireNonNull(type, "type");
        min = min == null ? Optional.empty() : min;
        max = max == null ? Optional.empty() : max;
        allowedValues = List.copyOf(allowedValues);
        defaultValue = defaultValue == null ? "" : defaultValue;
        Objects.requireNonNull(opVersion, "opVersion");
        Objects.requireNonNull(side, "side");
        description = description == null ? "" : description;
    }
}
