package dev.gdkit.examples.gdd;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.gd2.BrickInfo;
import dev.gdkit.api.gd2.BrickRequest;
import dev.gdkit.api.gd2.SubvolInfo;
import dev.gdkit.api.gd2.SubvolRequest;
import dev.gdkit.api.gd2.VolCreateRequest;
import dev.gdkit.api.gd2.VolumeInfo;
import dev.gdkit.api.model.Event;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OptionValue;
import dev.gdkit.api.model.Peer;
import dev.gdkit.api.model.PeerState;
import dev.gdkit.api.model.Volume;
import dev.gdkit.core.volume.BrickFlags;
import dev.gdkit.core.volume.VolumeRules;
import dev.gdkit.examples.gdd.RestServer.Call;
import dev.gdkit.examples.gdd.RestServer.Reply;
import dev.gdkit.examples.gdd.RestServer.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** GlusterD2's {@code /v1} routes on a gdd node. */
final class Routes {
    static final String API_VERSION = "1";
    static final String VERSION = "gdd-0.1.0";
    private static final Pattern OPTION_KEY = Pattern.compile("[A-Za-z0-9._*-]{1,256}");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    // ------------------------------------------------------------------ request and response shapes (GD2's names)

    record PeerAddReq(@JsonProperty("addresses") List<String> addresses, @JsonProperty("zone") String zone,
                      @JsonProperty("metadata") Map<String, String> metadata) {
    }

    record PeerInfo(@JsonProperty("id") String id, @JsonProperty("name") String name,
                    @JsonProperty("peer-addresses") List<String> peerAddresses,
                    @JsonProperty("client-addresses") List<String> clientAddresses, @JsonProperty("online") boolean online,
                    @JsonProperty("state") String state, @JsonProperty("metadata") Map<String, String> metadata) {
    }

    record JoinReq(@JsonProperty("store") String store, @JsonProperty("user") String user, @JsonProperty("password") String password,
                   @JsonProperty("member") String member, @JsonProperty("token") String token) {
    }

    record VolStartReq(@JsonProperty("force-start-bricks") boolean forceStartBricks) {
    }

    record VolExpandReq(@JsonProperty("replica") int replica, @JsonProperty("bricks") List<BrickRequest> bricks,
                        @JsonProperty("flags") Map<String, Boolean> flags, @JsonProperty("force") boolean force) {
    }

    record VolOptionReq(@JsonProperty("options") Map<String, String> options,
                        @JsonProperty("allow-advanced-options") boolean advanced,
                        @JsonProperty("allow-experimental-options") boolean experimental,
                        @JsonProperty("allow-deprecated-options") boolean deprecated) {
    }

    record VolOptionResetReq(@JsonProperty("options") List<String> options, @JsonProperty("force") boolean force,
                             @JsonProperty("all") boolean all) {
    }

    record OptionInfo(@JsonProperty("key") String key, @JsonProperty("value") String value,
                      @JsonProperty("default-value") String defaultValue, @JsonProperty("modified") boolean modified) {
    }

    record BrickStatus(@JsonProperty("info") BrickInfo info, @JsonProperty("online") boolean online, @JsonProperty("pid") long pid,
                       @JsonProperty("port") int port) {
    }

    record VolumeStatus(@JsonProperty("info") VolumeInfo info, @JsonProperty("online") boolean online,
                        @JsonProperty("bricks") List<BrickStatus> bricks) {
    }

    record ClusterOptionReq(@JsonProperty("options") Map<String, String> options) {
    }

    record EventInfo(@JsonProperty("id") String id, @JsonProperty("name") String name, @JsonProperty("data") Map<String, String> data,
                     @JsonProperty("origin") String origin, @JsonProperty("timestamp") String timestamp) {
    }

    record WebhookReq(@JsonProperty("url") String url, @JsonProperty("token") String token, @JsonProperty("secret") String secret) {
    }

    record WebhookDelReq(@JsonProperty("url") String url) {
    }

    record Version(@JsonProperty("glusterd-version") String version, @JsonProperty("api-version") String apiVersion) {
    }

    // ------------------------------------------------------------------

    private final Gdd gdd;
    private final Metrics metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Routes(Gdd gdd, Metrics metrics) {
        this.gdd = gdd;
        this.metrics = metrics;
    }

    List<Route> all() {
        List<Route> r = new ArrayList<>();
        r.add(Route.of("GET", "/ping", "Ping", null, null, c -> Reply.noContent()));
        r.add(Route.of("GET", "/v1/version", "GetVersion", null, Version.class,
                c -> ok(new Version(VERSION, API_VERSION))));
        r.add(Route.of("GET", "/v1/peers", "GetPeers", null, PeerInfo.class, c -> ok(peers())));
        r.add(Route.of("POST", "/v1/peers", "AddPeer", PeerAddReq.class, PeerInfo.class, this::addPeer));
        r.add(Route.of("GET", "/v1/peers/{peerid}", "GetPeer", null, PeerInfo.class, c -> ok(peer(c.param("peerid")))));
        r.add(Route.of("DELETE", "/v1/peers/{peerid}", "DeletePeer", null, null, this::deletePeer));
        r.add(Route.of("POST", "/v1/internal/join", "JoinPool (gdd: the invite a member sends to a fresh node)", JoinReq.class,
                PeerInfo.class, this::join));
        r.add(Route.of("GET", "/v1/volumes", "VolumeList", null, VolumeInfo.class, c -> ok(volumes())));
        r.add(Route.of("POST", "/v1/volumes", "VolumeCreate", VolCreateRequest.class, VolumeInfo.class, this::create));
        r.add(Route.of("GET", "/v1/volumes/{volname}", "VolumeInfo", null, VolumeInfo.class, c -> ok(info(vol(c)))));
        r.add(Route.of("DELETE", "/v1/volumes/{volname}", "VolumeDelete", null, null, this::delete));
        r.add(Route.of("POST", "/v1/volumes/{volname}/start", "VolumeStart", VolStartReq.class, VolumeInfo.class, this::start));
        r.add(Route.of("POST", "/v1/volumes/{volname}/stop", "VolumeStop", null, VolumeInfo.class, this::stop));
        r.add(Route.of("POST", "/v1/volumes/{volname}/expand", "VolumeExpand", VolExpandReq.class, VolumeInfo.class, this::expand));
        r.add(Route.of("GET", "/v1/volumes/{volname}/options", "VolumeOptionsGet", null, OptionInfo.class,
                c -> ok(gdd.runtime().volumes().getOptions(vol(c)).stream().map(Routes::option).toList())));
        r.add(Route.of("GET", "/v1/volumes/{volname}/options/{optname}", "VolumeOptionGet", null, OptionInfo.class,
                c -> ok(option(gdd.runtime().volumes().getOption(vol(c), optionKey(c.param("optname")))))));
        r.add(Route.of("POST", "/v1/volumes/{volname}/options", "VolumeOptions", VolOptionReq.class, VolumeInfo.class, this::setOptions));
        r.add(Route.of("DELETE", "/v1/volumes/{volname}/options", "VolumeReset", VolOptionResetReq.class, VolumeInfo.class,
                this::resetOptions));
        r.add(Route.of("GET", "/v1/volumes/{volname}/status", "VolumeStatus", null, VolumeStatus.class, c -> ok(status(vol(c)))));
        r.add(Route.of("GET", "/v1/volumes/{volname}/bricks", "VolumeBricksStatus", null, BrickStatus.class,
                c -> ok(status(vol(c)).bricks())));
        r.add(Route.of("GET", "/v1/volumes/{volname}/volfiles/client", "ClientVolfile (gdd: FUSE volfile with brick ports)", null,
                String.class, c -> Reply.text(clientVolfile(vol(c)))));
        r.add(Route.of("GET", "/v1/volumes/{volname}/volfiles", "VolfilesList (gdd: names of the volume's volfiles)", null,
                String.class, c -> ok(gdd.runtime().volumes().volfileNames(vol(c)))));
        r.add(Route.of("GET", "/v1/volumes/{volname}/volfiles/{file}", "VolfileGet (gdd: one volfile as volgen renders it now)", null,
                String.class, c -> Reply.text(gdd.runtime().volumes().volfile(vol(c), c.param("file")))));
        r.add(Route.of("GET", "/v1/cluster/options", "GetClusterOptions", null, OptionInfo.class, c -> ok(clusterOptions())));
        r.add(Route.of("POST", "/v1/cluster/options", "SetClusterOptions", ClusterOptionReq.class, OptionInfo.class,
                this::setClusterOptions));
        r.add(Route.of("GET", "/v1/events", "EventsList", null, EventInfo.class, c -> ok(events())));
        r.add(Route.of("GET", "/v1/events/webhook", "WebhookList", null, WebhookReq.class,
                c -> ok(gdd.webhooks().list().stream().map(w -> new WebhookReq(w.url(), "", "")).toList())));
        r.add(Route.of("POST", "/v1/events/webhook", "WebhookAdd", WebhookReq.class, null, this::addWebhook));
        r.add(Route.of("DELETE", "/v1/events/webhook", "WebhookDelete", WebhookDelReq.class, null, this::deleteWebhook));
        r.add(Route.of("GET", "/metrics", "Metrics (Prometheus text)", null, String.class, c -> new Reply(200,
                "text/plain; version=0.0.4; charset=utf-8", metricsText(), Map.of())));
        List<Route> snapshot = List.copyOf(r);
        r.add(Route.of("GET", "/v1/openapi.json", "OpenAPI", null, null, c -> ok(OpenApi.document(snapshot))));
        return List.copyOf(r);
    }

    // ------------------------------------------------------------------ peers

    private List<PeerInfo> peers() {
        return gdd.runtime().node().peers().stream().filter(p -> p.state() != PeerState.LEFT).map(this::peerInfo).toList();
    }

    private PeerInfo peerInfo(Peer p) {
        Gdd.Runtime r = gdd.runtime();
        boolean online = p.id().equals(gdd.id()) || r.node().membership().isAlive(p.id());
        String rest = r.store().get(restKey(p.id())).map(v -> v.valueAsString()).orElse("");
        return new PeerInfo(p.id().value(), p.name(), p.addresses(), rest.isEmpty() ? List.of() : List.of(rest), online,
                p.state().name(), p.metadata());
    }

    static String restKey(NodeId id) {
        return "gdd/rest/" + id.value();
    }

    private PeerInfo peer(String id) {
        checkNodeId(id);
        return peers().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new GdException(ErrorCode.NOT_FOUND, "peer " + id + " is not in the pool", "list the peers"));
    }

    private Reply addPeer(Call c) throws Exception {
        PeerAddReq req = RestServer.read(c, PeerAddReq.class);
        if (req.addresses() == null || req.addresses().size() != 1) {
            throw GdException.invalid("give exactly one address to add", "POST {\"addresses\": [\"host[:rest-port]\"]}");
        }
        String addr = req.addresses().get(0);
        if (addr == null || !addr.matches("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?")) {
            throw GdException.invalid("peer address '" + RestServer.printable(String.valueOf(addr)) + "' is not host[:port]",
                    "give the new node's address, for example 127.1.1.2 or 127.1.1.2:24007");
        }
        String host = addr.contains(":") ? addr.substring(0, addr.indexOf(':')) : addr;
        int port = addr.contains(":") ? Integer.parseInt(addr.substring(addr.indexOf(':') + 1)) : 24007;
        if (port < 1 || port > 65535) {
            throw GdException.invalid("port " + port + " is out of range", "give a port from 1 to 65535");
        }
        Optional<PeerInfo> known = peers().stream().filter(p -> p.peerAddresses().stream().anyMatch(a -> ClientVolfiles.hostOf(a)
                .equals(host)) || p.clientAddresses().contains(host + ":" + port)).findFirst();
        if (known.isPresent()) {
            throw new GdException(ErrorCode.ALREADY_EXISTS, "peer " + addr + " is already in the pool (id " + known.get().id() + ")",
                    "nothing to do");
        }
        Gdd.Invite inv = gdd.invite();
        String body = RestServer.write(new JoinReq(inv.store(), inv.user(), inv.password(), inv.member(), inv.token()));
        HttpResponse<String> resp;
        long t0 = System.nanoTime();
        try {
            resp = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/v1/internal/join"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            metrics.transaction("peer-add", false, System.nanoTime() - t0);
            throw new GdException(ErrorCode.NODE_UNREACHABLE, "cannot reach gdd at " + host + ":" + port + ": " + e,
                    "start gdd there (bin/gdd --listen " + host + ") and retry");
        }
        metrics.transaction("peer-add", resp.statusCode() / 100 == 2, System.nanoTime() - t0);
        if (resp.statusCode() / 100 != 2) {
            return new Reply(resp.statusCode(), "application/json", resp.body(), Map.of());
        }
        PeerInfo joined = RestServer.JSON.readValue(resp.body(), PeerInfo.class);
        return new Reply(201, "application/json", RestServer.write(peer(joined.id())), Map.of("Location", "/v1/peers/" + joined.id()));
    }

    private Reply join(Call c) throws Exception {
        JoinReq req = RestServer.read(c, JoinReq.class);
        if (req.store() == null || req.member() == null || req.user() == null || req.password() == null || req.token() == null) {
            throw GdException.invalid("the join request lacks store, user, password or member", "this route is for gdd members");
        }
        gdd.join(new Gdd.Invite(req.store(), req.user(), req.password(), req.member(), req.token()));
        gdd.runtime().store().put(restKey(gdd.id()), gdd.settings().host() + ":" + gdd.restPort());
        return ok(peerInfo(gdd.runtime().node().peers().stream().filter(p -> p.id().equals(gdd.id())).findFirst().orElseThrow()));
    }

    private Reply deletePeer(Call c) {
        String id = c.param("peerid");
        peer(id);
        if (id.equals(gdd.id().value())) {
            throw GdException.invalid("a node cannot remove itself", "remove it through another member");
        }
        timed("peer-remove", () -> {
            gdd.runtime().node().removePeer(NodeId.of(id));
            return null;
        });
        gdd.publish("peer-removed", Map.of("peer-id", id));
        return Reply.noContent();
    }

    private static void checkNodeId(String id) {
        if (!NODE_ID.matcher(id).matches()) {
            throw GdException.invalid("peer id '" + RestServer.printable(id) + "' is not a peer id", "list the peers to see their ids");
        }
    }

    // ------------------------------------------------------------------ volumes

    private static String vol(Call c) {
        String name = c.param("volname");
        VolumeRules.checkName(name);
        return name;
    }

    private List<VolumeInfo> volumes() {
        return gdd.runtime().volumes().list().stream().map(v -> display(VolumeInfo.of(v.withState(gdd.runtime().volumes()
                .state(v.name()))))).toList();
    }

    private VolumeInfo info(String name) {
        return display(gdd.runtime().volumes().info(name));
    }

    /** Bricks carry their peer's id as host (loopback addresses are refused as brick hosts); show the node's address instead. */
    private VolumeInfo display(VolumeInfo v) {
        Map<String, String> hosts = new LinkedHashMap<>();
        gdd.runtime().node().membership().peersView().forEach(p -> hosts.put(p.id().value(), p.addresses().isEmpty() ? p.name()
                : ClientVolfiles.hostOf(p.addresses().get(0))));
        List<SubvolInfo> subs = v.subvols().stream().map(s -> new SubvolInfo(s.name(), s.type(), s.bricks().stream()
                .map(b -> new BrickInfo(b.id(), b.path(), b.volumeId(), b.volumeName(), b.peerId(),
                        hosts.getOrDefault(b.host(), b.host()), b.type())).toList(), s.replicaCount(), s.arbiterCount())).toList();
        return new VolumeInfo(v.id(), v.name(), v.type(), v.transport(), v.distributeCount(), v.replicaCount(), v.arbiterCount(),
                v.disperseCount(), v.disperseRedundancy(), v.options(), v.state(), subs, v.metadata());
    }

    private Reply create(Call c) {
        VolCreateRequest req = RestServer.read(c, VolCreateRequest.class);
        if (req.name() == null) {
            throw GdException.invalid("the create request has no name", "give \"name\"");
        }
        VolumeRules.checkName(req.name());
        checkOptions(req.options());
        for (SubvolRequest s : req.subvols()) {
            for (BrickRequest b : s.bricks()) {
                checkBrick(b);
            }
        }
        for (String f : req.flags().keySet()) {
            if (!VolCreateRequest.KNOWN_FLAGS.contains(f)) {
                throw GdException.invalid("unknown flag '" + RestServer.printable(f) + "'", "use only " + VolCreateRequest.KNOWN_FLAGS);
            }
        }
        Volume v = timed("volume-create", () -> gdd.runtime().volumes().create(req));
        gdd.publish("volume-created", Map.of("volume", v.name(), "volume-id", v.id()));
        return new Reply(201, "application/json", RestServer.write(info(v.name())), Map.of("Location", "/v1/volumes/" + v.name()));
    }

    private static void checkBrick(BrickRequest b) {
        if (b.peerId() == null || b.path() == null) {
            throw GdException.invalid("a brick lacks peerid or path", "give each brick as {\"peerid\": ..., \"path\": \"/abs/path\"}");
        }
        checkNodeId(b.peerId());
        checkPath(b.path());
    }

    static void checkPath(String path) {
        if (!path.startsWith("/") || path.length() > VolumeRules.MAX_BRICK_PATH) {
            throw GdException.invalid("brick path '" + RestServer.printable(path) + "' is not an absolute path", "give /abs/path");
        }
        for (String seg : path.split("/")) {
            if (seg.equals("..") || seg.equals(".")) {
                throw GdException.invalid("brick path '" + RestServer.printable(path) + "' contains '" + seg + "'",
                        "give a normalized absolute path without . or .. segments");
            }
        }
        if (path.chars().anyMatch(Character::isISOControl) || path.contains("//") || (path.length() > 1 && path.endsWith("/"))) {
            throw GdException.invalid("brick path '" + RestServer.printable(path) + "' is not a normalized path",
                    "give a normalized absolute path without control characters");
        }
    }

    private static void checkOptions(Map<String, String> options) {
        options.forEach((k, v) -> {
            if (k == null || !OPTION_KEY.matcher(k).matches()) {
                throw GdException.invalid("option name '" + RestServer.printable(String.valueOf(k)) + "' is invalid",
                        "option names are letters, digits, '.', '_', '-' and '*'");
            }
            if (v == null || v.chars().anyMatch(Character::isISOControl) || v.length() > 4096) {
                throw GdException.invalid("the value of option " + k + " contains a newline or control character, or is too long",
                        "give a single-line value of at most 4096 characters");
            }
        });
    }

    private static String optionKey(String k) {
        if (!OPTION_KEY.matcher(k).matches()) {
            throw GdException.invalid("option name '" + RestServer.printable(k) + "' is invalid", "list the options");
        }
        return k;
    }

    private Reply delete(Call c) {
        String name = vol(c);
        timed("volume-delete", () -> {
            gdd.runtime().volumes().delete(name);
            return null;
        });
        gdd.publish("volume-deleted", Map.of("volume", name));
        return Reply.noContent();
    }

    private Reply start(Call c) {
        String name = vol(c);
        if (c.hasBody()) {
            RestServer.read(c, VolStartReq.class);
        }
        timed("volume-start", () -> gdd.runtime().volumes().start(name));
        gdd.publish("volume-started", Map.of("volume", name));
        return ok(info(name));
    }

    private Reply stop(Call c) {
        String name = vol(c);
        timed("volume-stop", () -> gdd.runtime().volumes().stop(name));
        gdd.publish("volume-stopped", Map.of("volume", name));
        return ok(info(name));
    }

    private Reply expand(Call c) {
        String name = vol(c);
        VolExpandReq req = RestServer.read(c, VolExpandReq.class);
        if (req.bricks() == null || req.bricks().isEmpty()) {
            throw GdException.invalid("the expand request has no bricks", "give \"bricks\": [{\"peerid\":..,\"path\":..}]");
        }
        req.bricks().forEach(Routes::checkBrick);
        List<String> bricks = req.bricks().stream().map(b -> b.peerId() + ":" + b.path()).toList();
        BrickFlags flags = BrickFlags.fromGd2(req.flags() == null ? Map.of() : req.flags(), req.force());
        timed("volume-expand", () -> gdd.runtime().volumes().expand(name, req.replica(), bricks, flags));
        gdd.publish("volume-expanded", Map.of("volume", name, "bricks", Integer.toString(bricks.size())));
        return ok(info(name));
    }

    private Reply setOptions(Call c) {
        String name = vol(c);
        VolOptionReq req = RestServer.read(c, VolOptionReq.class);
        if (req.options() == null || req.options().isEmpty()) {
            throw GdException.invalid("no options to set", "give \"options\": {\"key\": \"value\"}");
        }
        checkOptions(req.options());
        Volume after = timed("volume-set", () -> gdd.runtime().volumes().setOptions(name, req.options()));
        gdd.publish("volume-option-set", Map.of("volume", name, "keys", String.join(",", req.options().keySet())));
        // the volume as the set committed it: no second round of store reads for the answer
        return ok(display(VolumeInfo.of(after)));
    }

    private Reply resetOptions(Call c) {
        String name = vol(c);
        VolOptionResetReq req = c.hasBody() ? RestServer.read(c, VolOptionResetReq.class) : new VolOptionResetReq(List.of(), false, true);
        List<String> keys = req.options() == null ? List.of() : req.options();
        keys.forEach(Routes::optionKey);
        if (req.all()) {
            timed("volume-reset", () -> gdd.runtime().volumes().resetAllOptions(name));
        } else {
            if (keys.isEmpty()) {
                throw GdException.invalid("no options to reset", "give \"options\": [\"key\"] or \"all\": true");
            }
            timed("volume-reset", () -> gdd.runtime().volumes().resetOptions(name, keys));
        }
        gdd.publish("volume-option-reset", Map.of("volume", name));
        return ok(info(name));
    }

    private static OptionInfo option(OptionValue o) {
        return new OptionInfo(o.key(), o.value(), o.defaultValue(), !o.isDefault());
    }

    private VolumeStatus status(String name) {
        Gdd.Runtime r = gdd.runtime();
        VolumeInfo info = info(name);
        Map<String, BrickDaemons.BrickState> states = BrickDaemons.states(r.store(), name);
        Map<String, Integer> ports = BrickDaemons.ports(r.store(), name);
        List<BrickStatus> bricks = new ArrayList<>();
        boolean started = "Started".equals(info.state());
        for (SubvolInfo s : info.subvols()) {
            for (BrickInfo b : s.bricks()) {
                BrickDaemons.BrickState st = states.get(b.id());
                boolean nodeUp = b.peerId().equals(gdd.id().value()) || r.node().membership().isAlive(NodeId.of(b.peerId()));
                boolean online = started && st != null && st.online() && nodeUp;
                bricks.add(new BrickStatus(b, online, online ? st.pid() : 0, ports.getOrDefault(b.id(), 0)));
            }
        }
        return new VolumeStatus(info, started && bricks.stream().anyMatch(BrickStatus::online), bricks);
    }

    private String clientVolfile(String name) throws Exception {
        Gdd.Runtime r = gdd.runtime();
        Volume v = r.volumes().get(name);
        String file = v.name() + ".tcp-fuse.vol";
        return ClientVolfiles.resolve(r.volumes().volfile(name, file), v, r).orElseThrow(() -> new GdException(
                ErrorCode.FAILED_PRECONDITION, "volume " + name + " has bricks without a port yet", "start the volume first"));
    }

    // ------------------------------------------------------------------ cluster, events, metrics

    private List<OptionInfo> clusterOptions() {
        Gdd.Runtime r = gdd.runtime();
        return List.of(new OptionInfo("cluster.op-version", r.node().clusterOpVersion().toString(), "", true),
                new OptionInfo("cluster.max-op-version", r.node().maxOpVersion().toString(), "", false));
    }

    private Reply setClusterOptions(Call c) {
        ClusterOptionReq req = RestServer.read(c, ClusterOptionReq.class);
        if (req.options() == null || req.options().isEmpty()) {
            throw GdException.invalid("no options to set", "give \"options\": {\"cluster.op-version\": \"max\"}");
        }
        checkOptions(req.options());
        for (String k : req.options().keySet()) {
            if (!k.equals("cluster.op-version")) {
                throw GdException.invalid("cluster option '" + k + "' is not known", "gdd supports cluster.op-version");
            }
        }
        timed("cluster-op-version", () -> gdd.runtime().node().setClusterOpVersion(req.options().get("cluster.op-version")));
        return ok(clusterOptions());
    }

    private List<EventInfo> events() {
        return gdd.events().recent().stream().map(Routes::eventInfo).toList();
    }

    private static EventInfo eventInfo(Event e) {
        return new EventInfo(e.id(), e.name(), e.data(), e.origin().value(), e.timestamp().toString());
    }

    private Reply addWebhook(Call c) {
        WebhookReq req = RestServer.read(c, WebhookReq.class);
        if (req.url() == null) {
            throw GdException.invalid("the webhook has no url", "give \"url\"");
        }
        gdd.webhooks().add(new Webhooks.Webhook(req.url(), req.token(), req.secret()));
        return new Reply(201, "application/json", "{}", Map.of());
    }

    private Reply deleteWebhook(Call c) {
        WebhookDelReq req = RestServer.read(c, WebhookDelReq.class);
        if (req.url() == null) {
            throw GdException.invalid("no url given", "give \"url\"");
        }
        gdd.webhooks().remove(req.url());
        return Reply.noContent();
    }

    private String metricsText() {
        Gdd.Runtime r = gdd.runtime();
        List<Peer> peers = r.node().peers().stream().filter(p -> p.state() != PeerState.LEFT).toList();
        int up = (int) peers.stream().filter(p -> p.id().equals(gdd.id()) || r.node().membership().isAlive(p.id())).count();
        return metrics.render(() -> up, peers::size, gdd.daemons()::bricksOnline);
    }

    // ------------------------------------------------------------------ helpers

    private <T> T timed(String operation, Callable<T> op) {
        long t0 = System.nanoTime();
        boolean ok = false;
        try {
            T out = op.call();
            ok = true;
            return out;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new GdException(ErrorCode.INTERNAL, operation + " failed: " + e, "");
        } finally {
            metrics.transaction(operation, ok, System.nanoTime() - t0);
        }
    }

    private static Reply ok(Object body) {
        return Reply.json(200, RestServer.write(body));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
