package io.backbus.repository;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class ObjectStoreExceptionTest {

    @Test
    void anAnswerOfTheStoreNamesItsCodeAndIsRetriedOnlyWhenItIsTheStoresTrouble() {
        ObjectStoreException missing = ObjectStoreException.of("HeadBucket b", s3(404, "NoSuchBucket"));
        ObjectStoreException slow = ObjectStoreException.of("UploadPart 3 of k", s3(503, "SlowDown"));

        assertThat(missing).hasMessage("HeadBucket b failed: NoSuchBucket: no such thing");
        assertThat(missing.errorCode()).isEqualTo("NoSuchBucket");
        assertThat(missing.retryable()).isFalse();
        assertThat(missing.unreachable()).isFalse();
        assertThat(slow.retryable()).isTrue();
        assertThat(slow.unreachable()).isFalse();
    }

    @Test
    void noAnswerAtAllIsRetryableAndUnreachable() {
        ObjectStoreException e = ObjectStoreException.of("GetObject k",
                SdkClientException.create("Unable to execute HTTP request: Connection refused"));

        assertThat(e).hasMessage("GetObject k failed: SdkClientException: Unable to execute HTTP request: "
                + "Connection refused");
        assertThat(e.errorCode()).isNull();
        assertThat(e.retryable()).isTrue();
        assertThat(e.unreachable()).isTrue();
    }

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("no such thing").build())
                .build();
    }
}
