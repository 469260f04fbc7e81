package dev.gdkit.core.volgen;

import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.VolumeType;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The volume options a cluster accepts, with their value rules.
 *
 * <p><b>Contract.</b> Implementations are immutable after construction and thread-safe. Lookups are
 * case-sensitive on keys. Every method that rejects input throws
 * {@link dev.gdkit.api.error.GdException} with code {@code INVALID_ARGUMENT}; its message names the
 * key, the value and why it is wrong, and its remedy says what is allowed.
 */
public interface OptionCatalog {

    /**
     * Finds an option by its canonical key, a GD1 alias, or an unambiguous short name (the part
     * after the last dot, as the gluster CLI completes {@code cache-size} to
     * {@code performance.cache-size}).
     */
    Optional<OptionSpec> find(String key);

    /** Every canonical key, sorted. */
    Set<String> keys();

    /**
     * Validates a set of options as they would be applied together on one volume of the given type
     * ({@code null}: skip layout-specific rules). A {@code group} key expands to the named group's
     * options at its position. {@code user.*} keys pass through unchecked, as in GlusterFS.
     *
     * @return the options with canonical keys and normalised values, in input order (later keys win)
     * @throws dev.gdkit.api.error.GdException for an unknown key, an invalid value, an unknown group,
     *         conflicting options or an option that does not apply to the layout
     */
    Map<String, String> validate(Map<String, String> options, VolumeType volumeType);

    /** The op-version that introduced a key (any accepted spelling). */
    OpVersion opVersion(String key);

    /** The names of the option groups ({@code virt}, {@code db-workload}, ...). */
    Set<String> groups();

    /** The options of a group, in the group's order. */
    Map<String, String> group(String name);

    /**
     * The options glusterd sets on a newly created volume of this type (for example
     * {@code performance.client-io-threads off} for replicate volumes). The volume service stores
     * them with the volume; user options given at create time win over them.
     */
    Map<String, String> createDefaults(VolumeType volumeType);
}
