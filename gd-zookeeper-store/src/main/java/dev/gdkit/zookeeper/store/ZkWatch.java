package dev.gdkit.zookeeper.store;

import dev.gdkit.core.store.StoreEvent;
import dev.gdkit.core.store.StoreListener;
import dev.gdkit.core.store.Watch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A prefix watch on a {@link CuratorCache} (one persistent recursive ZooKeeper watch).
 *
 * <p>CuratorCache delivers its initial load in no particular order and updates its storage before
 * its listeners run. So this watch ignores the cache's events until the cache is initialized, then
 * delivers the cache's content sorted by key (parents before children), then
 * {@link StoreListener#onInitialized()}, then later events, dropping those the snapshot already
 * covered (same creation zxid and a version not newer than delivered). All deliveries run on one
 * thread per watch, in the order the cache saw them.
 */
final class ZkWatch implements Watch {
    private static final Logger LOG = LoggerFactory.getLogger(ZkWatch.class);

    private record Seen(long czxid, int version) {
    }

    private final String prefix;
    private final StoreListener listener;
    private final ZkLayout layout;
    private final CuratorCache cache;
    private final ExecutorService dispatch;
    private final Consumer<AutoCloseable> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<String, Seen> delivered = new HashMap<>();
    private boolean initialized;

    ZkWatch(CuratorFramework client, ZkLayout layout, String prefix, StoreListener listener, Consumer<AutoCloseable> onClose) {
        this.prefix = prefix;
        this.listener = listener;
        this.layout = layout;
        this.onClose = onClose;
        this.cache = CuratorCache.builder(client, layout.kvRelative(prefix))
                .withExceptionHandler(e -> LOG.warn("watch on {} failed to load: {}", prefix, e.toString()))
                .build();
        this.dispatch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gd-zk-watch-" + prefix);
            t.setDaemon(true);
            return t;
        });
        cache.listenable().addListener(new CuratorCacheListener() {
            @Override
            public void event(Type type, ChildData oldData, ChildData data) {
                enqueue(() -> onCacheEvent(type, oldData, data));
            }

            @Override
            public void initialized() {
                enqueue(ZkWatch.this::onCacheInitialized);
            }
        });
    }

    void start() {
        cache.start();
    }

    private void enqueue(Runnable r) {
        if (closed.get()) {
            return;
        }
        try {
            dispatch.execute(r);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void onCacheInitialized() {
        if (initialized) {
            return;
        }
        initialized = true;
        List<ChildData> snapshot = new ArrayList<>();
        cache.stream().forEach(snapshot::add);
        snapshot.sort(Comparator.comparing(ChildData::getPath));
        for (ChildData d : snapshot) {
            String key = layout.keyOfRelative(d.getPath());
            if (key != null && d.getStat() != null) {
                delivered.put(key, new Seen(d.getStat().getCzxid(), d.getStat().getVersion()));
                deliver(new StoreEvent(StoreEvent.Type.CREATED, key, d.getData(), d.getStat().getVersion(), d.getStat().getMzxid()));
            }
        }
        if (closed.get()) {
            return;
        }
        try {
            listener.onInitialized();
        } catch (RuntimeException e) {
            LOG.warn("watch listener on {} failed in onInitialized", prefix, e);
        }
    }

    private void onCacheEvent(CuratorCacheListener.Type type, ChildData oldData, ChildData data) {
        if (!initialized) {
            return;
        }
        ChildData d = data != null ? data : oldData;
        String key = d == null ? null : layout.keyOfRelative(d.getPath());
        if (key == null) {
            return;
        }
        switch (type) {
            case NODE_CREATED, NODE_CHANGED -> {
                Stat stat = data.getStat();
                Seen prev = delivered.get(key);
                if (prev != null && prev.czxid() == stat.getCzxid() && prev.version() >= stat.getVersion()) {
                    return; // the snapshot already had this
                }
                if (prev != null && prev.czxid() != stat.getCzxid()) {
                    deliver(new StoreEvent(StoreEvent.Type.DELETED, key, null, -1, -1));
                    prev = null;
                }
                delivered.put(key, new Seen(stat.getCzxid(), stat.getVersion()));
                StoreEvent.Type t = prev == null ? StoreEvent.Type.CREATED : StoreEvent.Type.UPDATED;
                deliver(new StoreEvent(t, key, data.getData(), stat.getVersion(), stat.getMzxid()));
            }
            case NODE_DELETED -> {
                if (delivered.remove(key) != null) {
                    deliver(new StoreEvent(StoreEvent.Type.DELETED, key, null, -1, -1));
                }
            }
        }
    }

    private void deliver(StoreEvent event) {
        if (closed.get()) {
            return;
        }
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("watch listener on {} failed on {}", prefix, event, e);
        }
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onClose.accept(this);
        cache.close();
        dispatch.shutdown();
    }

    @Override
    public String toString() {
        return "ZkWatch[" + prefix + "]";
    }
}
