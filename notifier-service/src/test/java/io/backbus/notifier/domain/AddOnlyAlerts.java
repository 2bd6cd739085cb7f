package io.backbus.notifier.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Collects added alerts in memory, for unit tests of what raises them; delivery calls are not expected. */
final class AddOnlyAlerts implements AlertRepository {

    final List<Alert> added = new ArrayList<>();

    @Override
    public void add(Alert alert) {
        added.add(alert);
    }

    @Override
    public List<Alert> claimDue(Instant now, Instant leaseUntil, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void markDelivered(UUID id, int attempts, Instant deliveredAt) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void markRetry(UUID id, int attempts, Instant nextAttemptAt, String error) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void markGaveUp(UUID id, int attempts, String error) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Alert> listNewestFirst(AlertStatus status, int limit) {
        return List.copyOf(added);
    }

    @Override
    public long countPending() {
        return added.size();
    }
}
