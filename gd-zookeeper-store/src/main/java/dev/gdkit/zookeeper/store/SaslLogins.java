package dev.gdkit.zookeeper.store;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import javax.security.auth.login.Configuration;

/**
 * JAAS login sections for ZooKeeper's SASL DIGEST-MD5 authentication, without a JAAS file.
 *
 * <p>ZooKeeper's SASL client and server read their credentials from the JVM's one JAAS
 * {@link Configuration}, by section name. The first use installs, once per JVM, a
 * configuration that answers the sections added here and asks the configuration installed before
 * (a {@code java.security.auth.login.config} file, if any) for every other name. That is the
 * JVM-global state SASL forces; each store client gets a section of its own (the client names it
 * in its own {@code ZKClientConfig}), so clients with different credentials live in one JVM. A
 * section holds its password in memory only, until the store client is closed.
 */
public final class SaslLogins {
    private static final String DIGEST_LOGIN_MODULE = "org.apache.zookeeper.server.auth.DigestLoginModule";
    private static final Map<String, AppConfigurationEntry[]> SECTIONS = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong();
    private static boolean installed;

    private SaslLogins() {
    }

    /** Adds a client section that logs in as {@code user} with {@code password}; returns its name. */
    public static String addClient(String user, String password) {
        String name = "gdkit-sasl-client-" + NEXT.incrementAndGet();
        put(name, Map.of("username", user, "password", password));
        return name;
    }

    /**
     * Adds (or replaces) a server section accepting {@code users} (name to password), for a
     * ZooKeeper server in this JVM: ZooKeeper's server reads the section named by
     * {@code zookeeper.sasl.serverconfig} ({@code Server} by default) when it starts.
     */
    public static void putServer(String section, Map<String, String> users) {
        Map<String, String> options = new HashMap<>();
        users.forEach((u, p) -> options.put("user_" + u, p));
        put(section, options);
    }

    /** Removes a section added here. */
    public static void remove(String section) {
        SECTIONS.remove(section);
    }

    private static void put(String name, Map<String, String> options) {
        install();
        SECTIONS.put(name, new AppConfigurationEntry[] {
            new AppConfigurationEntry(DIGEST_LOGIN_MODULE, LoginModuleControlFlag.REQUIRED, Map.copyOf(options))});
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        Configuration before;
        try {
            before = Configuration.getConfiguration();
        } catch (SecurityException e) {
            before = null; // no JAAS file: only gd-kit's sections
        }
        Configuration previous = before;
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                AppConfigurationEntry[] mine = SECTIONS.get(name);
                if (mine != null) {
                    return mine.clone();
                }
                return previous == null ? null : previous.getAppConfigurationEntry(name);
            }

            @Override
            public void refresh() {
                if (previous != null) {
                    previous.refresh();
                }
            }
        });
        installed = true;
    }
}
