package dev.gdkit.examples.gdcli;

import java.io.PrintStream;

/** Runs gdcli in the test JVM with captured output. */
public final class GdCliAccess {
    private GdCliAccess() {
    }

    /** Exit code and output of one run. */
    public record Result(int exit, String out, String err) {
    }

    public static int run(PrintStream out, PrintStream err, String... args) {
        return new GdCli(out, err).run(args);
    }
}
