package dev.gdkit.zookeeper.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import org.junit.jupiter.api.Test;

/** This module's tests run with the superuser digest set on the command line (password "gdkit-test"). */
class JvmSuperUserTest {
    @Test
    void theDigestIsZooKeepersAndAPresetDigestIsLeftAlone() throws Exception {
        String preset = System.getProperty(JvmSuperUser.SUPER_DIGEST_PROPERTY);
        assertThat(JvmSuperUser.digest("gdkit-test")).isEqualTo(preset)
                .isEqualTo(org.apache.zookeeper.server.auth.DigestAuthenticationProvider.generateDigest("super:gdkit-test"));
        JvmSuperUser.install();
        assertThat(System.getProperty(JvmSuperUser.SUPER_DIGEST_PROPERTY)).isEqualTo(preset);
        assertThat(JvmSuperUser.effectiveDigest()).isEqualTo(preset);
        Throwable t = catchThrowable(JvmSuperUser::password);
        assertThat(t).isInstanceOf(GdException.class).hasMessageContaining("set outside gd-kit");
        assertThat(((GdException) t).code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    }
}
