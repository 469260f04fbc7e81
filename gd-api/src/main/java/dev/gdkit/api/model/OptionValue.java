package dev.gdkit.api.model;

import java.util.Objects;

/**
 * An option's effective value on a volume.
 *
 * @param key the option key
 * @param value the effective value
 * @param defaultValue the catalog default ("" when none)
 * @param isDefault whether the value is the default (not set explicitly)
 * @param introducedIn the op-version that introduced the key
 */
public record OptionValue(String key, String value, String defaultValue, boolean isDefault, OpVersion introducedIn) {
    public OptionValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        defaultValue = defaultValue == null ? "" : defaultValue;
        Objects.requireNonNull(introducedIn, "introducedIn");
    }
}
