package io.backbus.uploader.domain;

import java.time.Instant;

/**
 * A multipart upload the bucket holds in progress: started, neither completed nor aborted. Invisible as an object,
 * yet its parts are stored (and billed) until it is aborted.
 *
 * @param key       the object key it would complete
 * @param uploadId  S3's id of the upload
 * @param initiated when it was started
 */
public record OpenUpload(String key, String uploadId, Instant initiated) {
}
