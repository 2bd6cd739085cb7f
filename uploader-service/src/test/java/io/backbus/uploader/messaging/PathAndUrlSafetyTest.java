package io.backbus.uploader.messaging;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbus.delivery.MalformedEventException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the ArtifactReady and ArtifactStreaming schemas cannot say: a target safe as a key segment, a real URI. */
class PathAndUrlSafetyTest {

    @Test
    void aPlainTargetAndAnHttpUrlAreSafe() {
        assertThatCode(() -> PathAndUrlSafety.requireSafe("orders", "https://agent:8443/artifacts/r?sig=abc"))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a\\b", ".", "..", "tab\there", "nul\u0000"})
    void aTargetThatIsNoKeySegmentIsMalformed(String target) {
        assertThatThrownBy(() -> PathAndUrlSafety.requireSafe(target, "http://agent/x"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("cannot be an object key segment");
    }

    @Test
    void aLocationThatIsNoUriIsMalformedWithoutQuotingIt() {
        assertThatThrownBy(() -> PathAndUrlSafety.requireSafe("orders", "http://agent/x y?sig=secret"))
                .isInstanceOf(MalformedEventException.class).hasMessage("location is not a valid URI");
    }
}
