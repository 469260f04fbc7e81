package dev.gdkit.grpc.api;

import dev.gdkit.api.model.OptionValue;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the management API needs to read and change volume options. Thread-safe; failures are GdExceptions. */
public interface OptionBackend {
    /** Every option of the volume with its effective value. */
    List<OptionValue> getOptions(String volume);

    /** Sets options; returns every option afterwards. */
    List<OptionValue> setOptions(String volume, Map<String, String> options);

    /** Resets {@code keys} (all explicitly set options when empty); returns every option afterwards. */
    List<OptionValue> resetOptions(String volume, Set<String> keys);
}
