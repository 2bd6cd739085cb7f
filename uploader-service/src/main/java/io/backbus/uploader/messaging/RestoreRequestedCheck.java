package io.backbus.uploader.messaging;

import static io.backbus.delivery.IncomingEvent.require;

import io.backbus.contracts.RestoreDestination;
import io.backbus.contracts.RestoreOptions;
import io.backbus.contracts.RestoreRequested;
import io.backbus.delivery.MalformedEventException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Rejects, as malformed, a RestoreRequested the uploader cannot act on or answer (it goes to the dead-letter
 * topic): without a restore id, object or destination there is nothing to check and no RestoreFailed to send.
 */
final class RestoreRequestedCheck {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    static RestoreRequested requireUsable(RestoreRequested r) {
        require(r.restoreId(), "restoreId");
        require(r.backupId(), "backupId");
        require(r.runId(), "runId");
        require(r.purpose(), "purpose");
        require(r.target(), "target");
        require(r.bucket(), "bucket");
        require(r.objectKey(), "objectKey");
        require(r.manifestKey(), "manifestKey");
        String sha256 = require(r.plaintextSha256(), "plaintextSha256");
        RestoreDestination destination = require(r.destination(), "destination");
        require(destination.agentId(), "destination.agentId");
        require(destination.target(), "destination.target");
        require(destination.database(), "destination.database");
        RestoreOptions options = require(r.options(), "options");
        if (!SHA256.matcher(sha256).matches()) {
            throw new MalformedEventException("plaintextSha256 is not 64 hex digits");
        }
        if (r.plaintextSize() < 0 || r.ciphertextSize() < 0) {
            throw new MalformedEventException("plaintextSize and ciphertextSize must not be negative");
        }
        if (options.jobs() < 1) {
            throw new MalformedEventException("options.jobs must be at least 1");
        }
        return new RestoreRequested(r.restoreId(), r.backupId(), r.runId(), r.planId(), r.purpose(), r.target(),
                r.bucket(), r.objectKey(), r.manifestKey(), r.plaintextSize(), sha256.toLowerCase(Locale.ROOT),
                r.ciphertextSize(), destination, options, r.smokeQueries() == null ? List.of() : r.smokeQueries(),
                r.requestedAt());
    }

    private RestoreRequestedCheck() {
    }
}
