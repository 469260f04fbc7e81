package dev.gdkit.testkit.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.core.volume.BrickFlags;
import dev.gdkit.core.volume.CreateVolumeRequest;
import dev.gdkit.core.volume.FailureReport;
import dev.gdkit.core.volume.VolumeKeys;
import dev.gdkit.core.volume.brick.BrickPreparer;
import dev.gdkit.core.volume.brick.MountTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checks that run on each brick's own node (glusterd's bug-948729 tests, with and without
 * force, and glusterd-notes section 4): work directory, missing parent, mount point, root file
 * system, already part of a volume. Each refusal leaves nothing anywhere.
 */
class BrickChecksTest {
    @BeforeEach
    void needXattrs() {
        Xattrs.assumeAvailable();
    }

    private static void refused(VolumeCluster c, CreateVolumeRequest r, ErrorCode code, String text, String remedy) {
        assertThatThrownBy(() -> c.service(1).create(r)).isInstanceOfSatisfying(GdException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(text).contains("every change was undone on every node");
            assertThat(e.remedy()).contains(remedy);
            assertThat(e.nodeErrors()).isNotEmpty();
        });
        assertThat(c.service(2).find(r.name())).isEmpty();
        FailureReport report = c.service(3).failureReport(r.name()).orElseThrow();
        assertThat(report.state()).isEqualTo(VolumeState.CREATE_FAILED);
        assertThat(report.nodes()).isNotEmpty().allSatisfy(n -> assertThat(n.step()).isEqualTo("volume.prepare-bricks"));
        assertThat(c.service(1).state(r.name())).isEqualTo(VolumeState.CREATE_FAILED);
        assertThat(c.cluster().checker().check()).isEmpty();
    }

    @Test
    void rootFileSystemRefusedUnlessAllowed() {
        // the brick root is on the same device as "/": glusterd's "created in the root partition"
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).mounts(root -> MountTable.of(List.of(
                new MountTable.Mount(Path.of("/"), "/dev/vda"), new MountTable.Mount(Path.of("/tmp"), "/dev/vda")))).build()) {
            refused(c, CreateVolumeRequest.builder("onroot").brick(c.brick(1, "r1")).brick(c.brick(2, "r1")).build(),
                    ErrorCode.INVALID_ARGUMENT, "is on the root file system", "allow-root-dir");
            assertThat(Files.exists(c.brickPath(1, "r1"))).isFalse();
            assertThat(Files.exists(c.brickPath(2, "r1"))).isFalse();
            var ok = c.service(1).create(CreateVolumeRequest.builder("onroot").flags(new BrickFlags(false, true, false, false, false))
                    .brick(c.brick(1, "r1")).brick(c.brick(2, "r1")).build());
            assertThat(Xattrs.volumeId(c.brickPath(1, "r1"))).contains(BrickPreparer.xattrValue(ok.id()));
            // success clears the failure report
            assertThat(c.service(1).failureReport("onroot")).isEmpty();
            // a single-component path on the root file system (bug-948729 "/uuid") is refused the same way
            assertThatThrownBy(() -> c.service(1).create(CreateVolumeRequest.builder("slash").brick("n1:/gdkit-test-nonexistent-brick")
                    .build())).isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("root file system"));
            assertThat(Files.exists(Path.of("/gdkit-test-nonexistent-brick"))).isFalse();
        }
    }

    @Test
    void mountPointRefusedUnlessAllowedButADirectoryBelowItIsFine() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).mounts(root -> MountTable.of(List.of(
                new MountTable.Mount(Path.of("/"), "/dev/root"), new MountTable.Mount(root, "/dev/bricks"),
                new MountTable.Mount(root.resolve("n1").resolve("bricks").resolve("disk"), "/dev/disk1")))).build()) {
            Path disk = c.brickPath(1, "disk");
            refused(c, CreateVolumeRequest.builder("mnt").brick(c.brick(1, "disk")).build(), ErrorCode.INVALID_ARGUMENT,
                    "is a mount point", "create a sub-directory under the mount point");
            assertThat(Files.exists(disk)).isFalse();
            c.service(1).create(CreateVolumeRequest.builder("mnt").flags(new BrickFlags(false, false, false, true, false))
                    .brick(c.brick(1, "disk/brick")).build());
            assertThat(Xattrs.volumeId(disk.resolve("brick"))).isPresent();
            c.service(1).create(CreateVolumeRequest.builder("mnt2").flags(new BrickFlags(false, false, true, false, false))
                    .brick(c.brick(2, "disk")).build());
        }
    }

    @Test
    void missingParentRefusedEvenWithForceButCreatedWithCreateBrickDir() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            refused(c, CreateVolumeRequest.builder("deep").flags(BrickFlags.forced()).brick(c.brick(1, "nonexist/deeper/q3")).build(),
                    ErrorCode.INVALID_ARGUMENT, "the parent directory " + c.brickPath(1, "nonexist/deeper") + " of brick", "create-brick-dir");
            c.service(1).create(CreateVolumeRequest.builder("deep").flags(new BrickFlags(false, false, false, true, false))
                    .brick(c.brick(1, "nonexist/deeper/q3")).build());
            assertThat(Files.isDirectory(c.brickPath(1, "nonexist/deeper/q3"))).isTrue();
        }
    }

    @Test
    void workDirectoryRefusedEvenWithForce() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Path inside = c.workdir(c.cluster().id(1)).resolve("brick");
            refused(c, CreateVolumeRequest.builder("wd").flags(new BrickFlags(true, true, true, true, true)).brick("n1:" + inside).build(),
                    ErrorCode.INVALID_ARGUMENT, "work directory", "separate file system");
            assertThat(Files.exists(inside)).isFalse();
            refused(c, CreateVolumeRequest.builder("wd2").flags(BrickFlags.forced()).brick("n1:/var/lib/glusterd/brick").build(),
                    ErrorCode.INVALID_ARGUMENT, "/var/lib/glusterd", "separate file system");
        }
    }

    @Test
    void existingFileIsNotADirectory() throws Exception {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            c.brick(1, "x");
            Files.writeString(c.brickPath(1, "file"), "data");
            refused(c, CreateVolumeRequest.builder("file").brick(c.brick(1, "file")).build(), ErrorCode.INVALID_ARGUMENT,
                    "exists but is not a directory", "give a directory");
        }
    }

    @Test
    void partOfAVolumeRefusedUnlessReusedForTheBrickAndItsParents() throws Exception {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Path old = c.brickPath(1, "old");
            Files.createDirectories(old.resolve("child"));
            Xattrs.set(old, BrickPreparer.VOLUME_ID, "0x00112233445566778899aabbccddeeff");
            refused(c, CreateVolumeRequest.builder("reuse").brick(c.brick(1, "old")).build(), ErrorCode.FAILED_PRECONDITION,
                    "brick n1:" + old + " is already part of a volume (trusted.glusterfs.volume-id=0x0011", "reuse-bricks");
            refused(c, CreateVolumeRequest.builder("reuse2").brick(c.brick(1, "old/child")).build(), ErrorCode.FAILED_PRECONDITION,
                    "parent directory " + old + " of brick", "setfattr -x trusted.glusterfs.volume-id " + old);
            Path gfid = c.brickPath(2, "gfid");
            Files.createDirectories(gfid);
            Xattrs.set(gfid, BrickPreparer.GFID, "0x00000000000000000000000000000001");
            refused(c, CreateVolumeRequest.builder("reuse3").brick(c.brick(2, "gfid/new")).build(), ErrorCode.FAILED_PRECONDITION,
                    "trusted.gfid=0x0000", "reuse-bricks");
            assertThat(Files.exists(gfid.resolve("new"))).isFalse();

            // reuse: the old id is replaced, and a failure restores it
            var reused = c.service(1).create(CreateVolumeRequest.builder("reuse").flags(new BrickFlags(true, false, false, false, false))
                    .brick(c.brick(1, "old")).build());
            assertThat(Xattrs.volumeId(old)).contains(BrickPreparer.xattrValue(reused.id()));
        }
    }

    @Test
    void failedUndoOfAReusedBrickPutsTheOldIdBack() throws Exception {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Path old = c.brickPath(1, "old");
            Files.createDirectories(old);
            Xattrs.set(old, BrickPreparer.VOLUME_ID, "0x00112233445566778899aabbccddeeff");
            c.faults().fail(c.cluster().id(2), BrickFaults.Op.SET_XATTR, 1);
            assertThatThrownBy(() -> c.service(1).create(CreateVolumeRequest.builder("reuse").flags(BrickFlags.forced())
                    .brick(c.brick(1, "old")).brick(c.brick(2, "new")).build())).isInstanceOf(GdException.class);
            assertThat(Xattrs.volumeId(old)).contains("0x00112233445566778899aabbccddeeff");
            assertThat(Files.exists(c.brickPath(2, "new"))).isFalse();
            assertThat(c.cluster().node(1).store().get(VolumeKeys.volume("reuse"))).isEmpty();
        }
    }
}
