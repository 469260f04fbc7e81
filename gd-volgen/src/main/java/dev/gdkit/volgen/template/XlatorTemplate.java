package dev.gdkit.volgen.template;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One translator position of a graph template, held as data.
 *
 * <p>Strings may contain {@code ${...}} expressions (see {@link Expressions}); an option whose value
 * expands to the empty string is left out.
 *
 * @param id the position's id, unique in its template ({@code write-behind}); plugins address it
 * @param ref the id of a shared translator definition this one extends (null for none)
 * @param type the translator type ({@code performance/write-behind})
 * @param name the translator name; null means {@code ${volume.name}-<id>}
 * @param when conditions that must all hold for the translator to be present (empty: always)
 * @param options options written before the volume's options are applied (defaults they may override)
 * @param fixed options written after the volume's options (they always win)
 * @param mapOptions whether the volume's options for this type are applied (null: yes)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record XlatorTemplate(String id, String ref, String type, String name, List<String> when,
                             Map<String, String> options, Map<String, String> fixed, Boolean mapOptions) {
    public XlatorTemplate {
        when = when == null ? List.of() : List.copyOf(when);
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        fixed = fixed == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
    }

    /** A plain translator position: id, type, no conditions, no options. */
    public static XlatorTemplate of(String id, String type) {
        return new XlatorTemplate(id, null, type, null, List.of(), Map.of(), Map.of(), null);
    }

    /** Whether the volume's options for this translator type are applied. */
    public boolean appliesVolumeOptions() {
        return mapOptions == null || mapOptions;
    }

    /** This position with more (or replaced) default options. */
    public XlatorTemplate withOptions(Map<String, String> more) {
        Map<String, String> m = new LinkedHashMap<>(options);
        m.putAll(more);
        return new XlatorTemplate(id, ref, type, name, when, m, fixed, mapOptions);
    }

    /** This position with more (or replaced) fixed options. */
    public XlatorTemplate withFixed(Map<String, String> more) {
        Map<String, String> m = new LinkedHashMap<>(fixed);
        m.putAll(more);
        return new XlatorTemplate(id, ref, type, name, when, options, m, mapOptions);
    }

    /** This position with other conditions. */
    public XlatorTemplate withWhen(List<String> conditions) {
        return new XlatorTemplate(id, ref, type, name, conditions, options, fixed, mapOptions);
    }

    /** This position merged over a shared definition: fields set here win, option maps are merged. */
    XlatorTemplate over(XlatorTemplate base) {
        Map<String, String> o = new LinkedHashMap<>(base.options);
        o.putAll(options);
        Map<String, String> f = new LinkedHashMap<>(base.fixed);
        f.putAll(fixed);
        return new XlatorTemplate(id != null ? id : base.id, null, type != null ? type : base.type,
                name != null ? name : base.name, when.isEmpty() ? base.when : when, o, f,
                mapOptions != null ? mapOptions : base.mapOptions);
    }
}
