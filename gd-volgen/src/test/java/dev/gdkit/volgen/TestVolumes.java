package dev.gdkit.volgen;

import dev.gdkit.api.model.Volume;
import dev.gdkit.core.volgen.VolgenRequest;
import dev.gdkit.volgen.catalog.GlusterOptionCatalog;
import dev.gdkit.volgen.spec.SpecReader;

/** Volumes for tests, built the way the command builds them. */
public final class TestVolumes {
    public static final GlusterOptionCatalog CATALOG = GlusterOptionCatalog.builtin();

    private TestVolumes() {
    }

    /** A volume from inline spec JSON (single quotes become double quotes). */
    public static Volume volume(String specJson) {
        SpecReader r = new SpecReader(CATALOG);
        return r.toVolume(r.parse(specJson.replace('\'', '"')), "vid-1");
    }

    public static VolgenRequest request(Volume v) {
        return VolgenRequest.builder(v).credentials("user1", "pass1").build();
    }

    /** replica 3 over h1..h3, with options given as JSON object body ('k':'v',...). */
    public static Volume rep3(String options) {
        return volume("{'name':'v','create':'replica 3','bricks':[{'host':'h1','path':'/b/1'},{'host':'h2','path':'/b/2'},"
                + "{'host':'h3','path':'/b/3'}],'options':{" + options + "}}");
    }
}
