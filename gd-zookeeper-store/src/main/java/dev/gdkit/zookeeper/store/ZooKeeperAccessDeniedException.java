package dev.gdkit.zookeeper.store;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;

/**
 * ZooKeeper refused an operation because this client's credentials have no right to the
 * cluster's znodes (ZooKeeper NOAUTH): the namespace belongs to another cluster, or the digest
 * credentials are wrong. Not retryable with the same credentials.
 */
public final class ZooKeeperAccessDeniedException extends GdException {
    public ZooKeeperAccessDeniedException(String message) {
        super(ErrorCode.FAILED_PRECONDITION, message,
                "use the digest credentials this cluster's namespace was created with, or another namespace");
    }

    static ZooKeeperAccessDeniedException forKey(String namespace, String key) {
        return new ZooKeeperAccessDeniedException("ZooKeeper denied access to key '" + key + "' of namespace '" + namespace
                + "': these credentials may not read or write that cluster's znodes");
    }

    static ZooKeeperAccessDeniedException forWhat(String namespace, String what) {
        return new ZooKeeperAccessDeniedException("ZooKeeper denied access while " + what + " in namespace '" + namespace
                + "': these credentials may not read or write that cluster's znodes");
    }
}
