package dev.gdkit.examples.gdd;

import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.Peer;
import dev.gdkit.api.model.Volume;
import dev.gdkit.volgen.graph.Graph;
import dev.gdkit.volgen.graph.VolfileParser;
import dev.gdkit.volgen.graph.VolfileWriter;
import dev.gdkit.volgen.graph.Xlator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes a client graph (FUSE client, self-heal daemon) usable without glusterd's portmapper: each
 * {@code protocol/client} gets its brick's node address as {@code remote-host} and the port gdd
 * allocated to the brick as {@code remote-port}, so {@code glusterfs -f FILE MOUNTPOINT} connects
 * straight to the bricks.
 */
final class ClientVolfiles {
    private ClientVolfiles() {
    }

    /** The volfile with hosts and ports filled in; empty while some brick has no port yet. */
    static Optional<String> resolve(String text, Volume v, Gdd.Runtime r) {
        Map<String, Integer> ports = BrickDaemons.ports(r.store(), v.name());
        Map<String, String> hosts = new LinkedHashMap<>();
        for (Peer p : r.node().peers()) {
            if (!p.addresses().isEmpty()) {
                hosts.put(p.id().value(), hostOf(p.addresses().get(0)));
            }
        }
        Graph g = new VolfileParser().parse(text);
        List<Xlator> out = new ArrayList<>();
        for (Xlator x : g.xlators()) {
            if (!x.type().equals("protocol/client")) {
                out.add(x);
                continue;
            }
            String host = x.options().getOrDefault("remote-host", "");
            String path = x.options().getOrDefault("remote-subvolume", "");
            Optional<Brick> brick = v.bricks().stream().filter(b -> b.path().equals(path) && b.host().equals(host)).findFirst();
            if (brick.isEmpty()) {
                out.add(x);
                continue;
            }
            Integer port = ports.get(brick.get().id());
            String addr = hosts.get(brick.get().node().value());
            if (port == null || addr == null) {
                return Optional.empty();
            }
            Map<String, String> opts = new LinkedHashMap<>();
            x.options().forEach((k, val) -> opts.put(k, k.equals("remote-host") ? addr : val));
            opts.put("remote-port", Integer.toString(port));
            out.add(new Xlator(x.name(), x.type(), opts, x.subvolumes()));
        }
        return Optional.of(new VolfileWriter().write(new Graph(out)));
    }

    static String hostOf(String address) {
        if (address.startsWith("[")) {
            return address.substring(1, address.indexOf(']'));
        }
        int c = address.lastIndexOf(':');
        return c > 0 && address.indexOf(':') == c ? address.substring(0, c) : address;
    }
}
