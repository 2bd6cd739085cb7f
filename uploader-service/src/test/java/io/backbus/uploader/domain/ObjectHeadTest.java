package io.backbus.uploader.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.uploader.domain.ObjectHead.ThawState;
import org.junit.jupiter.api.Test;

class ObjectHeadTest {

    @Test
    void onlyGlacierAndDeepArchiveNeedAThaw() {
        assertThat(new ObjectHead(1, "GLACIER", null).coldTier()).isTrue();
        assertThat(new ObjectHead(1, "DEEP_ARCHIVE", null).coldTier()).isTrue();
        assertThat(new ObjectHead(1, "GLACIER_IR", null).coldTier()).isFalse();
        assertThat(new ObjectHead(1, "STANDARD_IA", null).coldTier()).isFalse();
        assertThat(new ObjectHead(1, null, null).coldTier()).isFalse();
    }

    @Test
    void readsTheRestoreHeaderAsS3WritesIt() {
        assertThat(new ObjectHead(1, "GLACIER", null).thawState()).isEqualTo(ThawState.NONE);
        assertThat(new ObjectHead(1, "GLACIER", "ongoing-request=\"true\"").thawState())
                .isEqualTo(ThawState.ONGOING);
        assertThat(new ObjectHead(1, "GLACIER",
                "ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\"").thawState())
                .isEqualTo(ThawState.DONE);
        assertThat(new ObjectHead(1, "GLACIER", "garbage").thawState()).isEqualTo(ThawState.NONE);
    }
}
