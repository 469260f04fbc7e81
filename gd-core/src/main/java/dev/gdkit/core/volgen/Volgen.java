package dev.gdkit.core.volgen;

/**
 * Generates the volfiles (GlusterFS translator graphs) of one volume.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li><b>Pure and deterministic</b>: the result depends only on the request; the same request gives
 *       byte-identical files in the same order. An implementation reads no cluster state, clock or
 *       random source and writes nothing; the caller decides where the files go.</li>
 *   <li><b>Thread-safe</b>: one instance may serve concurrent calls from any thread.</li>
 *   <li><b>Errors</b>: a volume that cannot be turned into valid volfiles (unknown or invalid option,
 *       conflicting options, a name, path or value that would break the volfile format, a brick count
 *       that does not fit the layout) raises a {@link dev.gdkit.api.error.GdException} with code
 *       {@code INVALID_ARGUMENT} whose message names the offending key, value or rule and whose
 *       remedy says what is allowed. Nothing is partially returned.</li>
 *   <li><b>Placement</b>: each brick volfile belongs on the node that hosts the brick; the
 *       self-heal volfile on every node hosting a brick of the volume (the self-heal daemon runs
 *       there); client, trusted client, gfproxy client, gfproxyd and rebalance volfiles are
 *       {@link VolfilePlacement#served() served}: kept on no disk, rendered on request.</li>
 * </ul>
 */
public interface Volgen {

    /**
     * Generates every volfile of {@code request.volume()}.
     *
     * @throws dev.gdkit.api.error.GdException (INVALID_ARGUMENT) when the volume cannot be rendered
     */
    VolfileSet generate(VolgenRequest request);

    /** The option catalog this generator validates options against. */
    OptionCatalog catalog();
}
