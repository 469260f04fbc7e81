package dev.gdkit.zookeeper.store;

import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

/**
 * The ACLs of a cluster's znodes. Without credentials every znode is open (embedded mode, where
 * the daemon owns the server). With digest credentials every znode a cluster creates is
 * {@code CREATOR_ALL}: only clients authenticated as the same digest user may read, write, delete
 * or change it. The shared root znode ({@code /gdkit}) lets anyone create a child (a new cluster's
 * namespace) but not list or read it.
 */
final class StoreAcls implements ACLProvider {
    // not List.of: ZooKeeper's ACL check calls contains(null), which immutable lists refuse
    private static final List<ACL> SHARED_ROOT =
            Collections.singletonList(new ACL(ZooDefs.Perms.CREATE, ZooDefs.Ids.ANYONE_ID_UNSAFE));

    private final boolean authenticated;
    private final String rootPath;

    StoreAcls(boolean authenticated, String rootPath) {
        this.authenticated = authenticated;
        this.rootPath = rootPath;
    }

    @Override
    public List<ACL> getDefaultAcl() {
        return authenticated ? ZooDefs.Ids.CREATOR_ALL_ACL : ZooDefs.Ids.OPEN_ACL_UNSAFE;
    }

    @Override
    public List<ACL> getAclForPath(String path) {
        if (authenticated && rootPath.equals(path)) {
            return SHARED_ROOT;
        }
        return getDefaultAcl();
    }
}
