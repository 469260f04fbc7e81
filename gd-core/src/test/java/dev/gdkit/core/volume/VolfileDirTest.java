package dev.gdkit.core.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gdkit.core.volgen.Volfile;
import dev.gdkit.core.volgen.VolfileKind;
import dev.gdkit.core.volgen.VolfilePlacement;
import dev.gdkit.core.volume.brick.UndoLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a volume's volfiles backs up only what changes (as hard links) and restores exactly the old folder. */
class VolfileDirTest {
    @TempDir
    Path work;

    private static Volfile file(String name, String text) {
        return new Volfile(name, VolfileKind.CLIENT, VolfilePlacement.on(dev.gdkit.api.model.NodeId.of("n1")), text);
    }

    @Test
    void restorePutsBackChangedAndRemovedFilesAndDropsAddedOnes() throws Exception {
        UndoLog log = new UndoLog(work);
        VolfileDir dir = new VolfileDir(work, log);
        dir.replace("t1", "v", List.of(file("a.vol", "a1"), file("b.vol", "b1"), file("c.vol", "c1")));
        log.delete("t1", "volfiles-v");

        List<String> changed = dir.replace("t2", "v", List.of(file("a.vol", "a2"), file("b.vol", "b1"), file("d.vol", "d1")));
        assertThat(changed).containsExactlyInAnyOrder("a.vol", "c.vol", "d.vol");
        assertThat(dir.list("v")).containsExactly("a.vol", "b.vol", "d.vol");
        // only the changed and removed files were backed up, without copying
        Path backup = log.dir("t2").resolve("volfiles-v.files");
        try (var s = Files.list(backup)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("a.vol", "c.vol");
        }

        dir.restore("t2", "v");
        assertThat(dir.list("v")).containsExactly("a.vol", "b.vol", "c.vol");
        assertThat(dir.read("v", "a.vol")).isEqualTo("a1");
        assertThat(dir.read("v", "c.vol")).isEqualTo("c1");
        assertThat(Files.exists(log.dir("t2"))).isFalse();
    }

    @Test
    void aReplacementThatChangesNothingLeavesNoUndoRecord() throws Exception {
        UndoLog log = new UndoLog(work);
        VolfileDir dir = new VolfileDir(work, log);
        dir.replace("t1", "v", List.of(file("a.vol", "a1")));
        assertThat(dir.replace("t2", "v", List.of(file("a.vol", "a1")))).isEmpty();
        assertThat(log.read("t2", "volfiles-v", VolfileDir.Backup.class)).isEmpty();
        dir.restore("t2", "v");
        assertThat(dir.read("v", "a.vol")).isEqualTo("a1");
    }

    @Test
    void restoringAFirstWriteRemovesTheFolder() throws Exception {
        UndoLog log = new UndoLog(work);
        VolfileDir dir = new VolfileDir(work, log);
        dir.replace("t1", "v", List.of(file("a.vol", "a1")));
        dir.restore("t1", "v");
        assertThat(Files.exists(dir.dir("v"))).isFalse();
    }
}
