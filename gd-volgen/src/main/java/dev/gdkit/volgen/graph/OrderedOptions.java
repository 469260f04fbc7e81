package dev.gdkit.volgen.graph;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable, insertion-ordered map of a translator's options, stored as two arrays: compact
 * and fast to build and iterate for the few dozen options a translator has. Lookups are linear.
 */
final class OrderedOptions extends AbstractMap<String, String> {
    static final OrderedOptions EMPTY = new OrderedOptions(new String[0], new String[0]);
    private final String[] keys;
    private final String[] values;

    private OrderedOptions(String[] keys, String[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** An immutable copy in the source's iteration order (the same instance when already one). */
    static OrderedOptions copyOf(Map<String, String> source) {
        if (source instanceof OrderedOptions o) {
            return o;
        }
        if (source.isEmpty()) {
            return EMPTY;
        }
        String[] k = new String[source.size()];
        String[] v = new String[k.length];
        int[] i = {0};
        source.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new NullPointerException(key == null ? "option key is null" : "value of option " + key + " is null");
            }
            k[i[0]] = key;
            v[i[0]++] = value;
        });
        return new OrderedOptions(k, v);
    }

    /** The total length of all keys and values. */
    int charCount() {
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            n += keys[i].length() + values[i].length();
        }
        return n;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public String get(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        for (String k : keys) {
            if (k.equals(key)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < keys.length; i++) {
            action.accept(keys[i], values[i]);
        }
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < keys.length;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (i >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, String> e = new SimpleImmutableEntry<>(keys[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }
        };
    }
}
