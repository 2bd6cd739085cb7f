package io.backbus.notifier.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Where alerts and their delivery state are kept. */
public interface AlertRepository {

    void add(Alert alert);

    /**
     * Claims up to {@code limit} PENDING alerts due at {@code now} that no other replica is claiming, and pushes
     * their next attempt to {@code leaseUntil} so nobody else picks them up while they are being sent. A crash
     * mid-send leaves them to be retried when the lease ends.
     */
    List<Alert> claimDue(Instant now, Instant leaseUntil, int limit);

    void markDelivered(UUID id, int attempts, Instant deliveredAt);

    void markRetry(UUID id, int attempts, Instant nextAttemptAt, String error);

    void markGaveUp(UUID id, int attempts, String error);

    /** Alerts (of one status, or all when null), newest first. */
    List<Alert> listNewestFirst(AlertStatus status, int limit);

    long countPending();
}
