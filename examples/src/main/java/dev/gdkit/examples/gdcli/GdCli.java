package dev.gdkit.examples.gdcli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code gdcli}: the gluster CLI's syntax for the common commands, over gdd's REST API.
 * Exit codes: 0 success, 1 the operation failed, 2 usage error, 3 gdd unreachable, 4 not found,
 * 5 conflict (exists, wrong state, lock busy).
 */
public final class GdCli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;
    static final int NOT_FOUND = 4;
    static final int CONFLICT = 5;

    static final String HELP = """
            usage: gdcli [--host HOST[:PORT]] [--json] [--timeout SECONDS] COMMAND
              peer add HOST[:PORT]              invite a node running gdd into this pool (gluster peer probe)
              peer remove HOST|ID               remove a peer (gluster peer detach)
              peer list                         every node of the pool, this one included (gluster pool list)
              peer status                       the other nodes of the pool
              volume create NAME [replica N [arbiter 1]] [disperse N [redundancy R]] [transport tcp] HOST:PATH... [force]
              volume start NAME [force] | stop NAME [force] | delete NAME
              volume info [NAME|all] | list | status [NAME|all]
              volume set NAME KEY VALUE | get NAME [KEY|all] | reset NAME [KEY|all]
              volume add-brick NAME [replica N] HOST:PATH... [force]
            exit codes: 0 ok, 1 failed, 2 usage, 3 gdd unreachable, 4 not found, 5 conflict
            """;

    /** A usage error. */
    static final class UsageException extends Exception {
        UsageException(String m) {
            super(m);
        }
    }

    /** A failed REST call with its exit code and message. */
    static final class CallFailed extends Exception {
        final int exit;

        CallFailed(int exit, String m) {
            super(m);
            this.exit = exit;
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PrintStream out;
    private final PrintStream err;
    private String base = "http://127.0.0.1:24007";
    private boolean jsonOut;
    private Duration timeout = Duration.ofSeconds(300);

    GdCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new GdCli(System.out, System.err).run(args));
    }

    int run(String[] argv) {
        List<String> args = new ArrayList<>();
        String host = System.getenv().getOrDefault("GDCLI_HOST", "127.0.0.1");
        try {
            for (int i = 0; i < argv.length; i++) {
                switch (argv[i]) {
                    case "--host" -> host = next(argv, ++i, "--host");
                    case "--json" -> jsonOut = true;
                    case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(next(argv, ++i, "--timeout")));
                    case "--mode=script" -> { }
                    case "-h", "--help", "help" -> {
                        out.print(HELP);
                        return OK;
                    }
                    default -> args.add(argv[i]);
                }
            }
            if (!host.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9a-fA-F:]+](:[0-9]{1,5})?")) {
                throw new UsageException("--host '" + host + "' is not HOST[:PORT]");
            }
            base = "http://" + (host.matches(".*:[0-9]+$") && !host.endsWith("]") ? host : host + ":24007");
            if (args.size() < 2) {
                throw new UsageException(args.isEmpty() ? "no command given" : "'" + args.get(0) + "' needs a sub-command");
            }
            return switch (args.get(0)) {
                case "peer", "pool" -> peer(args.subList(1, args.size()));
                case "volume" -> volume(args.subList(1, args.size()));
                default -> throw new UsageException("unknown command '" + args.get(0) + "'");
            };
        } catch (UsageException | NumberFormatException e) {
            err.println("gdcli: " + e.getMessage());
            err.print(HELP);
            return USAGE;
        } catch (CallFailed e) {
            err.println(e.getMessage());
            return e.exit;
        }
    }

    private static String next(String[] a, int i, String flag) throws UsageException {
        if (i >= a.length) {
            throw new UsageException(flag + " needs a value");
        }
        return a[i];
    }

    // ------------------------------------------------------------------ peer

    private int peer(List<String> a) throws UsageException, CallFailed {
        String cmd = a.get(0);
        switch (cmd) {
            case "add", "probe" -> {
                arity(a, 2, 2, "peer add HOST[:PORT]");
                JsonNode p = call("peer " + cmd, "POST", "/v1/peers", obj().set("addresses", json.createArrayNode().add(a.get(1))));
                return done(p, "peer " + cmd + ": success");
            }
            case "remove", "detach" -> {
                arity(a, 2, 3, "peer remove HOST|ID");
                String id = peerId(a.get(1));
                call("peer " + cmd, "DELETE", "/v1/peers/" + id, null);
                return done(null, "peer " + cmd + ": success");
            }
            case "list" -> {
                JsonNode peers = call("peer list", "GET", "/v1/peers", null);
                if (jsonOut) {
                    return done(peers, "");
                }
                out.println("UUID\t\t\t\t\tHostname\tState");
                for (JsonNode p : peers) {
                    out.println(p.path("id").asText() + "\t" + p.path("name").asText() + "\t" + (p.path("online").asBoolean() ? "Connected" : "Disconnected"));
                }
                return OK;
            }
            case "status" -> {
                JsonNode peers = call("peer status", "GET", "/v1/peers", null);
                JsonNode self = call("peer status", "GET", "/v1/version", null);
                List<JsonNode> others = new ArrayList<>();
                String me = base.substring("http://".length());
                for (JsonNode p : peers) {
                    boolean isSelf = false;
                    for (JsonNode c : p.path("client-addresses")) {
                        isSelf |= c.asText().equals(me);
                    }
                    if (!isSelf) {
                        others.add(p);
                    }
                }
                if (jsonOut) {
                    return done(json.valueToTree(others), "");
                }
                out.println("Number of Peers: " + others.size());
                for (JsonNode p : others) {
                    out.println();
                    out.println("Hostname: " + p.path("name").asText());
                    out.println("Uuid: " + p.path("id").asText());
                    out.println("State: Peer in Cluster (" + (p.path("online").asBoolean() ? "Connected" : "Disconnected") + ")");
                }
                return self == null ? FAILED : OK;
            }
            default -> throw new UsageException("unknown peer command '" + cmd + "'");
        }
    }

    /** A peer id from a host name, address, host:port or id. */
    private String peerId(String hostOrId) throws CallFailed {
        JsonNode peers = call("peer lookup", "GET", "/v1/peers", null);
        for (JsonNode p : peers) {
            if (p.path("id").asText().equals(hostOrId) || p.path("name").asText().equals(hostOrId)) {
                return p.path("id").asText();
            }
            for (String f : List.of("peer-addresses", "client-addresses")) {
                for (JsonNode addr : p.path(f)) {
                    String s = addr.asText();
                    if (s.equals(hostOrId) || s.substring(0, Math.max(0, s.lastIndexOf(':'))).equals(hostOrId)) {
                        return p.path("id").asText();
                    }
                }
            }
        }
        throw new CallFailed(NOT_FOUND, "'" + hostOrId + "' is not a peer of this pool (see gdcli peer list)");
    }

    // ------------------------------------------------------------------ volume

    private int volume(List<String> a) throws UsageException, CallFailed {
        String cmd = a.get(0);
        String what = "volume " + cmd + (a.size() > 1 ? ": " + a.get(1) : "");
        switch (cmd) {
            case "create" -> {
                return create(a, what);
            }
            case "start" -> {
                arity(a, 2, 3, "volume start NAME [force]");
                ObjectNode body = a.size() == 3 ? obj().put("force-start-bricks", force(a.get(2))) : null;
                return done(call(what, "POST", "/v1/volumes/" + a.get(1) + "/start", body), what + ": success");
            }
            case "stop" -> {
                arity(a, 2, 3, "volume stop NAME [force]");
                if (a.size() == 3) {
                    force(a.get(2));
                }
                return done(call(what, "POST", "/v1/volumes/" + a.get(1) + "/stop", null), what + ": success");
            }
            case "delete" -> {
                arity(a, 2, 2, "volume delete NAME");
                call(what, "DELETE", "/v1/volumes/" + a.get(1), null);
                return done(null, what + ": success");
            }
            case "list" -> {
                JsonNode vols = call(what, "GET", "/v1/volumes", null);
                if (jsonOut) {
                    return done(vols, "");
                }
                if (vols.isEmpty()) {
                    out.println("No volumes present in cluster");
                }
                vols.forEach(v -> out.println(v.path("name").asText()));
                return OK;
            }
            case "info" -> {
                arity(a, 1, 2, "volume info [NAME|all]");
                JsonNode vols = a.size() == 1 || a.get(1).equals("all") ? call(what, "GET", "/v1/volumes", null)
                        : json.createArrayNode().add(call(what, "GET", "/v1/volumes/" + a.get(1), null));
                if (jsonOut) {
                    return done(vols, "");
                }
                if (vols.isEmpty()) {
                    out.println("No volumes present");
                }
                vols.forEach(this::printInfo);
                return OK;
            }
            case "status" -> {
                arity(a, 1, 2, "volume status [NAME|all]");
                List<String> names = new ArrayList<>();
                if (a.size() == 1 || a.get(1).equals("all")) {
                    call(what, "GET", "/v1/volumes", null).forEach(v -> names.add(v.path("name").asText()));
                } else {
                    names.add(a.get(1));
                }
                ArrayNode all = json.createArrayNode();
                for (String n : names) {
                    all.add(call("volume status: " + n, "GET", "/v1/volumes/" + n + "/status", null));
                }
                if (jsonOut) {
                    return done(all, "");
                }
                all.forEach(this::printStatus);
                return OK;
            }
            case "set" -> {
                arity(a, 4, 4, "volume set NAME KEY VALUE");
                ObjectNode opts = obj().put(a.get(2), a.get(3));
                return done(call(what, "POST", "/v1/volumes/" + a.get(1) + "/options",
                        obj().<ObjectNode>set("options", opts).put("allow-advanced-options", true)), what + ": success");
            }
            case "get" -> {
                arity(a, 2, 3, "volume get NAME [KEY|all]");
                String path = "/v1/volumes/" + a.get(1) + "/options" + (a.size() == 3 && !a.get(2).equals("all") ? "/" + a.get(2) : "");
                JsonNode opts = call(what, "GET", path, null);
                if (jsonOut) {
                    return done(opts, "");
                }
                out.printf("%-45s %s%n", "Option", "Value");
                out.printf("%-45s %s%n", "------", "-----");
                for (JsonNode o : opts.isArray() ? opts : json.createArrayNode().add(opts)) {
                    out.printf("%-45s %s%n", o.path("key").asText(), o.path("value").asText());
                }
                return OK;
            }
            case "reset" -> {
                arity(a, 2, 3, "volume reset NAME [KEY|all]");
                ObjectNode body = a.size() == 2 || a.get(2).equals("all") ? obj().put("all", true)
                        : obj().set("options", json.createArrayNode().add(a.get(2)));
                return done(call(what, "DELETE", "/v1/volumes/" + a.get(1) + "/options", body), what + ": success");
            }
            case "add-brick" -> {
                return addBrick(a, what);
            }
            default -> throw new UsageException("unknown volume command '" + cmd + "'");
        }
    }

    private int create(List<String> a, String what) throws UsageException, CallFailed {
        if (a.size() < 3) {
            throw new UsageException("volume create NAME [replica N [arbiter 1]] [disperse N [redundancy R]] HOST:PATH... [force]");
        }
        String name = a.get(1);
        int replica = 0;
        int arbiter = 0;
        int disperse = 0;
        int redundancy = 0;
        boolean force = false;
        String transport = "tcp";
        List<String> bricks = new ArrayList<>();
        for (int i = 2; i < a.size(); i++) {
            String t = a.get(i);
            switch (t) {
                case "replica" -> replica = count(a, ++i, t);
                case "arbiter" -> arbiter = count(a, ++i, t);
                case "disperse" -> disperse = count(a, ++i, t);
                case "redundancy" -> redundancy = count(a, ++i, t);
                case "disperse-data" -> disperse = count(a, ++i, t) + redundancy;
                case "transport" -> transport = value(a, ++i, t);
                case "force" -> force = true;
                default -> {
                    if (!t.contains(":/")) {
                        throw new UsageException("'" + t + "' is neither a keyword nor HOST:PATH");
                    }
                    bricks.add(t);
                }
            }
        }
        if (bricks.isEmpty()) {
            throw new UsageException("no bricks given");
        }
        if (arbiter > 0 && replica == 0) {
            throw new UsageException("arbiter needs replica 3 (or replica 2 arbiter 1)");
        }
        int set = replica > 0 ? (arbiter > 0 && replica == 2 ? 3 : replica) : disperse > 0 ? disperse : bricks.size();
        if (bricks.size() % set != 0) {
            throw new UsageException(bricks.size() + " bricks do not make whole sets of " + set);
        }
        String type = replica > 0 ? "replicate" : disperse > 0 ? "disperse" : "distribute";
        ArrayNode subvols = json.createArrayNode();
        for (int s = 0; s < bricks.size(); s += set) {
            ObjectNode sv = obj().put("type", type);
            if (replica > 0) {
                sv.put("replica", replica).put("arbiter", arbiter);
            }
            if (disperse > 0) {
                sv.put("disperse-count", disperse).put("disperse-redundancy", redundancy);
            }
            ArrayNode bs = json.createArrayNode();
            for (int i = s; i < s + set; i++) {
                bs.add(brick(bricks.get(i), arbiter > 0 && i == s + set - 1));
            }
            sv.set("bricks", bs);
            subvols.add(sv);
        }
        ObjectNode body = obj().put("name", name).put("transport", transport).put("force", force);
        body.set("subvols", subvols);
        body.set("flags", obj().put("create-brick-dir", true));
        JsonNode v = call(what, "POST", "/v1/volumes", body);
        return done(v, what + ": success: please start the volume to access data");
    }

    private int addBrick(List<String> a, String what) throws UsageException, CallFailed {
        if (a.size() < 3) {
            throw new UsageException("volume add-brick NAME [replica N] HOST:PATH... [force]");
        }
        int replica = 0;
        boolean force = false;
        ArrayNode bs = json.createArrayNode();
        for (int i = 2; i < a.size(); i++) {
            String t = a.get(i);
            if (t.equals("replica")) {
                replica = count(a, ++i, t);
            } else if (t.equals("force")) {
                force = true;
            } else if (t.contains(":/")) {
                bs.add(brick(t, false));
            } else {
                throw new UsageException("'" + t + "' is neither a keyword nor HOST:PATH");
            }
        }
        ObjectNode body = obj().put("replica", replica).put("force", force);
        body.set("bricks", bs);
        body.set("flags", obj().put("create-brick-dir", true));
        return done(call(what, "POST", "/v1/volumes/" + a.get(1) + "/expand", body), what + ": success");
    }

    private ObjectNode brick(String hostPath, boolean arbiter) throws CallFailed {
        int c = hostPath.indexOf(":/");
        ObjectNode b = obj().put("peerid", peerId(hostPath.substring(0, c))).put("path", hostPath.substring(c + 1));
        if (arbiter) {
            b.put("type", "arbiter");
        }
        return b;
    }

    private static int count(List<String> a, int i, String what) throws UsageException {
        String v = value(a, i, what);
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(what + " needs a count, got '" + v + "'");
        }
    }

    private static String value(List<String> a, int i, String what) throws UsageException {
        if (i >= a.size()) {
            throw new UsageException(what + " needs a value");
        }
        return a.get(i);
    }

    private static boolean force(String s) throws UsageException {
        if (!s.equals("force")) {
            throw new UsageException("unexpected '" + s + "' (only 'force' may follow)");
        }
        return true;
    }

    private static void arity(List<String> a, int min, int max, String usage) throws UsageException {
        if (a.size() < min || a.size() > max) {
            throw new UsageException("usage: " + usage);
        }
    }

    private void printInfo(JsonNode v) {
        out.println();
        out.println("Volume Name: " + v.path("name").asText());
        out.println("Type: " + v.path("type").asText());
        out.println("Volume ID: " + v.path("id").asText());
        out.println("Status: " + v.path("state").asText());
        int bricks = 0;
        for (JsonNode s : v.path("subvols")) {
            bricks += s.path("bricks").size();
        }
        int sets = v.path("subvols").size();
        out.println("Number of Bricks: " + (sets > 1 || v.path("replica-count").asInt() > 0 || v.path("disperse-count").asInt() > 0
                ? sets + " x " + (bricks / Math.max(1, sets)) + " = " + bricks : bricks));
        out.println("Transport-type: " + v.path("transport").asText());
        out.println("Bricks:");
        int i = 1;
        for (JsonNode s : v.path("subvols")) {
            for (JsonNode b : s.path("bricks")) {
                out.println("Brick" + i++ + ": " + b.path("host").asText() + ":" + b.path("path").asText()
                        + (b.path("type").asText().equalsIgnoreCase("arbiter") ? " (arbiter)" : ""));
            }
        }
        out.println("Options Reconfigured:");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.path("options").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.println(e.getKey() + ": " + e.getValue().asText());
        }
    }

    private void printStatus(JsonNode s) {
        JsonNode info = s.path("info");
        out.println("Status of volume: " + info.path("name").asText());
        out.printf("%-60s %-9s %-6s %s%n", "Gluster process", "TCP Port", "Online", "Pid");
        out.println("-".repeat(84));
        for (JsonNode b : s.path("bricks")) {
            JsonNode bi = b.path("info");
            boolean on = b.path("online").asBoolean();
            out.printf("%-60s %-9s %-6s %s%n", "Brick " + bi.path("host").asText() + ":" + bi.path("path").asText(),
                    on ? b.path("port").asText() : "N/A", on ? "Y" : "N", on ? b.path("pid").asText() : "N/A");
        }
        out.println();
    }

    // ------------------------------------------------------------------ HTTP

    private ObjectNode obj() {
        return json.createObjectNode();
    }

    private int done(JsonNode body, String message) {
        if (jsonOut) {
            out.println(body == null ? "{}" : body.toPrettyString());
        } else if (!message.isEmpty()) {
            out.println(message);
        }
        return OK;
    }

    /** One REST call; shows progress on stderr while a slow one runs; maps failures to exit codes. */
    JsonNode call(String what, String method, String path, JsonNode body) throws CallFailed {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (body != null) {
            rb.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        }
        CompletableFuture<HttpResponse<String>> f = http.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> resp;
        long t0 = System.nanoTime();
        boolean progress = false;
        try {
            while (true) {
                try {
                    resp = f.get(1, TimeUnit.SECONDS);
                    break;
                } catch (TimeoutException e) {
                    if (!jsonOut) {
                        err.print(progress ? "." : what + ": in progress ");
                        progress = true;
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new CallFailed(UNREACHABLE, what + ": failed: cannot reach gdd at " + base + " (" + e.getCause() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailed(FAILED, what + ": interrupted");
        } finally {
            if (progress) {
                err.println(" " + (System.nanoTime() - t0) / 1_000_000_000 + " s");
            }
        }
        int code = resp.statusCode();
        if (code / 100 == 2) {
            if (resp.body().isEmpty()) {
                return null;
            }
            try {
                return json.readTree(resp.body());
            } catch (IOException e) {
                throw new CallFailed(FAILED, what + ": failed: gdd answered " + code + " with a body that is not JSON");
            }
        }
        String msg = resp.body();
        try {
            JsonNode e = json.readTree(resp.body());
            StringBuilder sb = new StringBuilder();
            for (JsonNode x : e.path("errors")) {
                sb.append(sb.length() == 0 ? "" : "; ").append(x.path("message").asText());
                String remedy = x.path("fields").path("remedy").asText("");
                if (!remedy.isEmpty() && sb.indexOf(remedy) < 0) {
                    sb.append(" (").append(remedy).append(')');
                }
            }
            if (sb.length() > 0) {
                msg = sb.toString();
            }
            if (jsonOut) {
                out.println(e.toPrettyString());
            }
        } catch (IOException ignored) {
            // not GD2's error format: show the body as is
        }
        int exit = code == 404 ? NOT_FOUND : code == 409 ? CONFLICT : code == 503 ? UNREACHABLE : FAILED;
        throw new CallFailed(exit, what + ": failed: " + msg);
    }
}
