package dev.gdkit.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TransactionDemoTest {
    @Test
    void demoCommitsThenRollsBackAndEndsConsistent() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = TransactionDemo.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(out).contains("result: COMMITTED").contains("result: ROLLED_BACK").contains("UNDONE")
                .contains("FAILED").contains("Invariant check (store and every node agree, nothing half applied): OK")
                .contains("vol2 left anywhere:         false");
    }
}
