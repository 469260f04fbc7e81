package dev.gdkit.testkit.junit;

import dev.gdkit.testkit.cluster.SimulatedCluster;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test method a fresh {@link SimulatedCluster} parameter and closes it afterwards.
 * Configure it with {@link Cluster} on the parameter, the method, or the class.
 *
 * <pre>{@code
 * @ExtendWith(SimulatedClusterExtension.class)
 * class MyTest {
 *     @Test
 *     void works(@Cluster(nodes = 3, steps = {"a", "b"}) SimulatedCluster c) { ... }
 * }
 * }</pre>
 */
public final class SimulatedClusterExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SimulatedClusterExtension.class);

    /** The shape of the cluster a test gets. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
    public @interface Cluster {
        int nodes() default 3;

        /** Names of {@link dev.gdkit.testkit.steps.RecordingSteps} to register on every node. */
        String[] steps() default {};

        long lockWaitMillis() default 10_000;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == SimulatedCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        Cluster spec = p.findAnnotation(Cluster.class)
                .or(() -> e.getTestMethod().map(m -> m.getAnnotation(Cluster.class)))
                .or(() -> e.getTestClass().map(c -> c.getAnnotation(Cluster.class)))
                .orElse(null);
        SimulatedCluster.Builder b = SimulatedCluster.builder();
        if (spec != null) {
            b.nodes(spec.nodes()).recordingSteps(spec.steps()).lockWait(java.time.Duration.ofMillis(spec.lockWaitMillis()));
        }
        SimulatedCluster c = b.build();
        e.getStore(NS).put(p.getIndex(), new Resource(c));
        return c;
    }

    private record Resource(SimulatedCluster cluster) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
