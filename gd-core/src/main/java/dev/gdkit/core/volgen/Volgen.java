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

    /**
     * The files of {@code request.volume()} that are kept on a disk (not
     * {@link VolfilePlacement#served() served}): those kept on {@code node}, or on any node when it is
     * empty. Each file is byte-identical to the same file of {@link #generate}, and the request's
     * checks (options, op-versions, names) run as there. Implementations render only what is asked, so a node writing
     * its own files does not pay for the whole volume's graphs.
     */
    default VolfileSet generateKept(VolgenRequest request, java.util.Optional<dev.gdkit.api.model.NodeId> node) {
        VolfileSet all = generate(request);
        return new VolfileSet(all.volumeName(), all.files().stream().filter(f -> !f.placement().isServed()
                && node.map(n -> f.placement().belongsOn(n)).orElse(true)).toList());
    }

    /** The option catalog this generator validates options against. */
    OptionCatalog catalog();
}
