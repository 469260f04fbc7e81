package dev.gdkit.volgen.template;

import dev.gdkit.api.error.GdException;
import dev.gdkit.api.error.ErrorCode;

/**
 * The small expression and condition language of templates.
 *
 * <p>Expressions, {@code ${...}} inside any string: {@code volume.name}, {@code volume.id},
 * {@code volume.transport}, {@code brick.path}, {@code brick.path-dashed}, {@code brick.host},
 * {@code brick.index}, {@code brick.port} ("" when unknown), {@code brick.shared-count}, {@code subvol.index}, {@code subvol.clients},
 * {@code subvol.redundancy}, {@code subvol.arbiter-count} ("" when none), {@code auth.user},
 * {@code auth.password}, {@code workdir}, {@code opt:KEY} (effective value),
 * {@code opt:KEY|FALLBACK}, {@code not:KEY} ({@code false} when KEY reads true, else {@code true}),
 * {@code if:KEY|THEN|ELSE}, {@code size-per-leaf:KEY} (the size KEY holds, in bytes, divided by the
 * number of distribute children, written as {@code NB}).
 *
 * <p>Conditions: {@code bool:KEY}, {@code volume.replicate}, {@code volume.disperse},
 * {@code volume.shd} (replicate or disperse), {@code volume.rebalance} (more than one distribute
 * leaf), {@code brick.arbiter}, {@code opversion:N} (cluster op-version at least N); a leading
 * {@code !} negates.
 */
final class Expressions {
    private Expressions() {
    }

    static String expand(String s, Scope scope) {
        return s.indexOf("${") < 0 ? s : join(split(s), scope);
    }

    /**
     * Expands template strings, remembering how each one splits into literal text and parsed
     * expressions. Not thread-safe: one instance per generation.
     */
    static final class Cache {
        private final java.util.HashMap<String, Object[]> parts = new java.util.HashMap<>();

        String expand(String s, Scope scope) {
            if (s.indexOf('$') < 0) {
                return s;
            }
            Object[] p = parts.get(s);
            if (p == null) {
                p = split(s);
                parts.put(s, p);
            }
            return join(p, scope);
        }
    }

    /** A parsed expression: its kind ("" for a plain variable) and arguments. */
    private record Expr(String text, String kind, String[] args) {
    }

    /** Literal, expression, literal, ..., literal. */
    private static Object[] split(String s) {
        java.util.List<Object> out = new java.util.ArrayList<>();
        int from = 0;
        int at = s.indexOf("${");
        while (at >= 0) {
            int end = s.indexOf('}', at);
            if (end < 0) {
                throw internal("unterminated expression in template string '" + s + "'");
            }
            out.add(s.substring(from, at));
            out.add(parse(s.substring(at + 2, end)));
            from = end + 1;
            at = s.indexOf("${", from);
        }
        out.add(s.substring(from));
        return out.toArray();
    }

    private static Expr parse(String expr) {
        int colon = expr.indexOf(':');
        if (colon < 0) {
            return new Expr(expr, "", new String[] {expr});
        }
        String kind = expr.substring(0, colon);
        String[] args = expr.substring(colon + 1).split("\\|", -1);
        if (kind.equals("if") && args.length != 3) {
            throw internal("expression '${" + expr + "}' needs the form if:KEY|THEN|ELSE");
        }
        return new Expr(expr, kind, args);
    }

    private static String join(Object[] p, Scope scope) {
        if (p.length == 3 && ((String) p[0]).isEmpty() && ((String) p[2]).isEmpty()) {
            return value((Expr) p[1], scope);
        }
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < p.length; i++) {
            sb.append((i & 1) == 0 ? (String) p[i] : value((Expr) p[i], scope));
        }
        return sb.toString();
    }

    private static String value(Expr e, Scope sc) {
        VolumeContext v = sc.volume();
        String[] a = e.args();
        switch (e.kind()) {
            case "":
                return variable(a[0], sc, v);
            case "opt": {
                String val = v.option(a[0]);
                return val.isEmpty() && a.length > 1 ? a[1] : val;
            }
            case "not":
                return v.enabled(a[0]) ? "false" : "true";
            case "if":
                return v.enabled(a[0]) ? a[1] : a[2];
            case "size-per-leaf":
                if (sc.leaves() <= 0) {
                    throw internal("'${" + e.text() + "}' is only available in per-leaf positions");
                }
                return (bytes(v.option(a[0])) / sc.leaves()) + "B";
            default:
                throw internal("unknown template expression '${" + e.text() + "}'");
        }
    }

    private static String variable(String name, Scope sc, VolumeContext v) {
        switch (name) {
            case "volume.name": return v.volume().name();
            case "volume.id": return v.volume().id();
            case "volume.transport": return v.volume().transport();
            case "brick.path": return sc.brick().path();
            case "brick.path-dashed": return dashed(sc.brick().path());
            case "brick.host": return sc.brick().host();
            case "brick.index": return Integer.toString(sc.brickIndex());
            case "brick.port": {
                Integer port = v.request().brickPorts().get(sc.brick().id());
                return port == null ? "" : port.toString();
            }
            case "brick.shared-count": return Integer.toString(v.sharedBrickCount(sc.brickIndex()));
            case "subvol.index": return Integer.toString(sc.subvolIndex());
            case "subvol.clients": return sc.clients();
            case "subvol.redundancy": return Integer.toString(sc.subvol().redundancy());
            case "subvol.arbiter-count":
                return sc.subvol().arbiterCount() > 0 ? Integer.toString(sc.subvol().arbiterCount()) : "";
            case "auth.user": return v.request().authUser();
            case "auth.password": return v.request().authPassword();
            case "workdir": return v.request().workdir();
            default: throw internal("unknown template expression '${" + name + "}'");
        }
    }

    static boolean holds(String condition, Scope sc) {
        if (condition.startsWith("!")) {
            return !holds(condition.substring(1), sc);
        }
        VolumeContext v = sc.volume();
        switch (condition) {
            case "volume.replicate": return v.hasReplicate();
            case "volume.disperse": return v.hasDisperse();
            case "volume.shd": return v.hasReplicate() || v.hasDisperse();
            case "volume.rebalance": return v.distributed();
            case "brick.arbiter": return VolumeContext.isArbiter(sc.brick());
            default: break;
        }
        if (condition.startsWith("bool:")) {
            return v.enabled(condition.substring(5));
        }
        if (condition.startsWith("opversion:")) {
            return v.request().clusterOpVersion().value() >= Integer.parseInt(condition.substring(10));
        }
        throw internal("unknown template condition '" + condition + "'");
    }

    /** A size such as {@code 10MB} in bytes (units B, KB, MB, GB, TB, PB; powers of 1024). */
    static long bytes(String size) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*([KMGTP]?)B?", java.util.regex.Pattern.CASE_INSENSITIVE)
                .matcher(size.trim());
        if (!m.matches()) {
            throw internal("'" + size + "' is not a size");
        }
        int shift = m.group(2).isEmpty() ? 0 : "KMGTP".indexOf(Character.toUpperCase(m.group(2).charAt(0))) + 1;
        return Long.parseLong(m.group(1)) << (10 * shift);
    }

    /** A brick path as glusterd puts it into file names: no leading '/', the others as '-'. */
    static String dashed(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.replace('/', '-');
    }

    private static GdException internal(String what) {
        return new GdException(ErrorCode.INVALID_ARGUMENT, "invalid volgen template: " + what,
                "see docs/volgen.md for the expressions and conditions templates may use");
    }
}
