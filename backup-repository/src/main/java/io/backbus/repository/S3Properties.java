package io.backbus.repository;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Object store connection, under {@code backbus.s3}.
 *
 * @param endpoint  S3-compatible endpoint; absent means AWS S3 itself
 * @param region    region (default {@code us-east-1})
 * @param accessKey static access key; absent means the default AWS credentials chain
 * @param secretKey static secret key, required with {@code accessKey}
 * @param pathStyle path-style addressing (S3Mock, MinIO); default false (virtual-host style)
 */
@ConfigurationProperties("backbus.s3")
public record S3Properties(URI endpoint, String region, String accessKey, String secretKey, Boolean pathStyle) {

    public S3Properties {
        region = region == null || region.isBlank() ? "us-east-1" : region;
        pathStyle = pathStyle != null && pathStyle;
        accessKey = blankToNull(accessKey);
        secretKey = blankToNull(secretKey);
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException(
                    "backbus.s3.access-key and backbus.s3.secret-key must be set together (or both left unset)");
        }
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
            throw new IllegalArgumentException("backbus.s3.endpoint must be an absolute URL, was " + endpoint);
        }
    }

    /**
     * An S3 client builder with these settings applied: region, path style, endpoint and credentials. Callers add
     * their own HTTP client and retry settings.
     */
    public S3ClientBuilder clientBuilder() {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(region))
                .forcePathStyle(pathStyle);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.credentialsProvider(accessKey != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey))
                : DefaultCredentialsProvider.builder().build());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        // never the secret
        return "S3Properties[endpoint=" + endpoint + ", region=" + region + ", accessKey="
                + (accessKey == null ? "<default chain>" : accessKey) + ", pathStyle=" + pathStyle + "]";
    }
}
