package dev.gdkit.volgen.catalog;

import dev.gdkit.core.volgen.OptionSpec;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a value against an option's type, range and allowed values, the way GlusterFS's option
 * validators read values (sizes with units, percentages, times with suffixes, booleans in all
 * their spellings). Stateless.
 */
final class ValueRules {
    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGTP]?B?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern TIME = Pattern.compile("(\\d+)\\s*(s|sec|m|min|h|hr|d|days|w|wk)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.:*?/_\\[\\]-]+");

    private ValueRules() {
    }

    /** Why the value is not acceptable for the option, or empty when it is. */
    static Optional<String> check(OptionSpec spec, String value) {
        String v = value.trim();
        if (!v.equals(value) || v.isEmpty()) {
            return Optional.of(v.isEmpty() ? "the value is empty" : "the value has leading or trailing white space");
        }
        switch (spec.type()) {
            case BOOL:
                return GlusterBoolean.isBoolean(v) ? allowed(spec, v) : Optional.of("it is not a boolean");
            case INT:
                if (!v.matches("[+-]?\\d+")) {
                    return Optional.of("it is not an integer");
                }
                return range(spec, Double.parseDouble(v), v);
            case DOUBLE:
                if (!NUMBER.matcher(v).matches()) {
                    return Optional.of("it is not a number");
                }
                return range(spec, Double.parseDouble(v), v);
            case SIZET:
                return size(spec, v);
            case PERCENT:
                return percent(spec, v);
            case PERCENT_OR_SIZET:
                return v.endsWith("%") ? percent(spec, v) : size(spec, v);
            case TIME: {
                Matcher m = TIME.matcher(v);
                if (!m.matches()) {
                    return Optional.of("it is not a time (a whole number with an optional unit s, m, h, d or w)");
                }
                return range(spec, seconds(Long.parseLong(m.group(1)), m.group(2)), v);
            }
            case PATH:
                return v.startsWith("/") ? Optional.empty() : Optional.of("it is not an absolute path");
            case INTERNET_ADDRESS:
            case INTERNET_ADDRESS_LIST:
            case CLIENT_AUTH_ADDR:
                for (String a : v.split(",", -1)) {
                    if (!ADDRESS.matcher(a).matches()) {
                        return Optional.of("'" + a + "' is not a host name, address, network or wildcard");
                    }
                }
                return allowed(spec, v);
            case SIZE_LIST:
                for (String s : v.split(",", -1)) {
                    if (!SIZE.matcher(s).matches()) {
                        return Optional.of("'" + s + "' is not a size");
                    }
                }
                return Optional.empty();
            case PRIORITY_LIST:
                for (String p : v.split(",", -1)) {
                    if (!p.matches("[^:]+:\\d+")) {
                        return Optional.of("'" + p + "' is not PATTERN:PRIORITY");
                    }
                }
                return Optional.empty();
            default:
                return allowed(spec, v);
        }
    }

    private static Optional<String> allowed(OptionSpec spec, String v) {
        if (spec.allowedValues().isEmpty() || spec.type() == dev.gdkit.core.volgen.OptionType.BOOL) {
            return Optional.empty();
        }
        for (String a : spec.allowedValues()) {
            if (a.equalsIgnoreCase(v) || glob(a).matcher(v).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of("it is not one of the allowed values");
    }

    private static Pattern glob(String g) {
        StringBuilder sb = new StringBuilder();
        for (char c : g.toCharArray()) {
            if (c == '*') {
                sb.append(".*");
            } else if (c == '?') {
                sb.append('.');
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(sb.toString());
    }

    private static Optional<String> size(OptionSpec spec, String v) {
        Matcher m = SIZE.matcher(v);
        if (!m.matches()) {
            return Optional.of("it is not a size (a number with an optional unit B, KB, MB, GB, TB or PB)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        int shift = unit.isEmpty() ? 0 : "BKMGTP".indexOf(unit.charAt(0));
        return range(spec, n * Math.pow(1024, shift), v);
    }

    private static Optional<String> percent(OptionSpec spec, String v) {
        String n = v.endsWith("%") ? v.substring(0, v.length() - 1) : v;
        if (!NUMBER.matcher(n).matches()) {
            return Optional.of("it is not a percentage");
        }
        double d = Double.parseDouble(n);
        if (d < 0 || d > 100) {
            return Optional.of("it is out of range [0 - 100]");
        }
        return Optional.empty();
    }

    private static double seconds(long n, String unit) {
        if (unit == null) {
            return n;
        }
        switch (unit.toLowerCase(Locale.ROOT)) {
            case "m": case "min": return n * 60.0;
            case "h": case "hr": return n * 3600.0;
            case "d": case "days": return n * 86400.0;
            case "w": case "wk": return n * 604800.0;
            default: return n;
        }
    }

    private static Optional<String> range(OptionSpec spec, double n, String v) {
        if (spec.min().isPresent() && n < spec.min().get()) {
            return Optional.of("it is below the minimum " + fmt(spec.min().get()));
        }
        if (spec.max().isPresent() && n > spec.max().get()) {
            return Optional.of("it is above the maximum " + fmt(spec.max().get()));
        }
        return allowed(spec, v);
    }

    static String fmt(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** What is allowed, in words, for error messages. */
    static String describe(OptionSpec spec) {
        StringBuilder sb = new StringBuilder();
        switch (spec.type()) {
            case BOOL -> sb.append("a boolean (on/off, yes/no, true/false, enable/disable, 1/0)");
            case INT -> sb.append("an integer");
            case DOUBLE -> sb.append("a number");
            case SIZET -> sb.append("a size such as 64MB");
            case PERCENT -> sb.append("a percentage from 0 to 100");
            case PERCENT_OR_SIZET -> sb.append("a percentage such as 10% or a size such as 1GB");
            case TIME -> sb.append("a time in seconds (suffixes s, m, h, d, w allowed)");
            case PATH -> sb.append("an absolute path");
            case INTERNET_ADDRESS, INTERNET_ADDRESS_LIST, CLIENT_AUTH_ADDR ->
                    sb.append("host names, addresses, networks or wildcards, comma separated");
            case SIZE_LIST -> sb.append("sizes, comma separated");
            case PRIORITY_LIST -> sb.append("PATTERN:PRIORITY pairs, comma separated");
            default -> sb.append("a word");
        }
        if (spec.min().isPresent() || spec.max().isPresent()) {
            sb.append(" in [").append(spec.min().map(ValueRules::fmt).orElse("-inf")).append(" - ")
                    .append(spec.max().map(ValueRules::fmt).orElse("inf")).append(']');
        }
        if (!spec.allowedValues().isEmpty() && spec.type() != dev.gdkit.core.volgen.OptionType.BOOL) {
            sb.append(", one of ").append(String.join(", ", spec.allowedValues()));
        }
        if (!spec.defaultValue().isEmpty()) {
            sb.append(" (default ").append(spec.defaultValue()).append(')');
        }
        return sb.toString();
    }
}
