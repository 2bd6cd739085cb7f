package io.backbus.uploader.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Which open uploads the sweep aborts, against an in-memory bucket; the real ListMultipartUploads and abort against
 * S3Mock are CrashRecoveryIT's.
 */
class AbandonedUploadsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Duration AFTER = Duration.ofMinutes(1);

    private final List<OpenUpload> open = new ArrayList<>();
    private final List<OpenUpload> aborted = new ArrayList<>();
    private final Set<String> objects = new java.util.HashSet<>();
    private final Set<String> liveClaims = new java.util.HashSet<>();

    @Test
    void abortsOnlyOldUploadsWithNoLiveClaimWhoseKeyHoldsNoObject() throws Exception {
        OpenUpload abandoned = upload("a", NOW.minus(AFTER).minusSeconds(1));
        OpenUpload young = upload("b", NOW.minus(AFTER).plusSeconds(1));
        OpenUpload undated = upload("c", null);
        OpenUpload claimed = upload("d", NOW.minusSeconds(3600));
        liveClaims.add(claimed.key());
        OpenUpload besideAnObject = upload("e", NOW.minusSeconds(3600));
        objects.add(besideAnObject.key());

        int count = new AbandonedUploads(store(), claims(), AFTER, Clock.fixed(NOW, ZoneOffset.UTC)).sweep();

        assertThat(count).isEqualTo(1);
        assertThat(aborted).containsExactly(abandoned);
        assertThat(open).contains(young, undated, claimed, besideAnObject);
    }

    private OpenUpload upload(String name, Instant initiated) {
        OpenUpload u = new OpenUpload("targets/orders/2026/12/04/" + name + "/artifact.enc",
                UUID.randomUUID().toString(), initiated);
        open.add(u);
        return u;
    }

    private ArtifactStore store() {
        return new ArtifactStore() {
            @Override
            public String bucket() {
                return "b";
            }

            @Override
            public ArtifactUpload openUpload(String key, long expectedSize, String contentType) {
                throw new UnsupportedOperationException();
            }

            @Override
            public OptionalLong sizeOf(String key) {
                return objects.contains(key) ? OptionalLong.of(1) : OptionalLong.empty();
            }

            @Override
            public void put(String key, byte[] content, String contentType) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void deleteQuietly(String key) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<OpenUpload> openUploads(String prefix) {
                return open.stream().filter(u -> u.key().startsWith(prefix)).toList();
            }

            @Override
            public boolean abortQuietly(OpenUpload upload) {
                aborted.add(upload);
                return open.remove(upload);
            }
        };
    }

    /** The claims table, stubbed: only liveClaimOn is asked by the sweep. */
    private StreamedUploadStore claims() {
        StreamedUploadStore claims = mock(StreamedUploadStore.class);
        when(claims.liveClaimOn(anyString(), any())).thenAnswer(a -> liveClaims.contains(a.getArgument(0)));
        return claims;
    }
}
