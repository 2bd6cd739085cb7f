package io.backbus.uploader.web;

import io.backbus.crypto.DataKey;
import io.backbus.crypto.KeyHandlingException;
import io.backbus.crypto.KeysetStore;
import io.backbus.web.ProblemResponses;
import io.backbus.web.security.ApiAudit;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The artifact keyset, for administrators ({@code /keys/**}; API authentication makes it admin-only): which keys it
 * holds, rotation (a new primary key; older keys stay so every older backup decrypts) and rewrap (the same keys
 * encrypted again under the configured key-encryption key). Answers carry key ids, statuses and times, never key
 * material; failures are problem+json with the reason (files and KMS errors, no key bytes).
 */
@RestController
@RequestMapping("/keys")
class KeysController {


    private final KeysetStore keys;

    KeysController(KeysetStore keys) {
        this.keys = keys;
    }

    /** One key of the keyset. */
    record KeyView(String id, String status, boolean primary, Instant createdAt) {
        static KeyView of(DataKey key) {
            return new KeyView(key.id(), key.status(), key.primary(), key.createdAt());
        }
    }

    /**
     * The keyset.
     *
     * @param primaryKeyId      the key new backups are encrypted with
     * @param keyEncryptionKey  the configured KEK: {@code local master key <file>} or an {@code aws-kms://} URI
     * @param keysetEncryptedBy the KEK the keyset file is encrypted by now (another until a rewrap)
     * @param rewrapPending     whether it is still encrypted by a previous KEK
     * @param keys              every key, oldest first
     */
    record KeysetView(String primaryKeyId, String keyEncryptionKey, String keysetEncryptedBy, boolean rewrapPending,
            List<KeyView> keys) {
    }

    /** A rotation: the primary key before and after, and the keyset now. */
    record RotationView(String previousPrimaryKeyId, String primaryKeyId, KeysetView keyset) {
    }

    /** A rewrap: which KEK encrypted the keyset before and which does now; the keys are the same. */
    record RewrapView(String encryptedBefore, String encryptedNow, KeysetView keyset) {
    }

    @GetMapping
    ResponseEntity<?> list() {
        try {
            return ResponseEntity.ok(view());
        } catch (KeyHandlingException e) {
            return failed("cannot read the keyset", e);
        }
    }

    @PostMapping("/rotate")
    ResponseEntity<?> rotate() {
        String before = keys.primaryKeyId();
        try {
            String now = keys.rotate();
            ApiAudit.log("keys.rotated", "primary key " + before + " -> " + now);
            return ResponseEntity.ok(new RotationView(before, now, view()));
        } catch (KeyHandlingException e) {
            ApiAudit.log("keys.rotate-failed", e.getMessage());
            return failed("rotation failed; the keyset is unchanged", e);
        }
    }

    @PostMapping("/rewrap")
    ResponseEntity<?> rewrap() {
        try {
            String before = keys.rewrap();
            String now = keys.keysetEncryptedBy();
            ApiAudit.log("keys.rewrapped", "keyset encrypted by " + before + " -> " + now);
            return ResponseEntity.ok(new RewrapView(before, now, view()));
        } catch (KeyHandlingException e) {
            ApiAudit.log("keys.rewrap-failed", e.getMessage());
            return failed("rewrap failed; the keyset is unchanged", e);
        }
    }

    private KeysetView view() {
        return new KeysetView(keys.primaryKeyId(), keys.keyEncryptionKey().description(), keys.keysetEncryptedBy(),
                keys.rewrapPending(), keys.dataKeys().stream().map(KeyView::of).toList());
    }

    /** 503: the keyset file or KMS is unavailable; KeyHandlingException messages name files and keys, no key bytes. */
    private static ResponseEntity<ProblemDetail> failed(String what, KeyHandlingException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                what + ": " + e.getMessage());
        problem.setTitle("Keyset unavailable");
        return ProblemResponses.respond(problem);
    }
}
