package io.backbus.scheduler.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where plans are kept. */
public interface PlanStore {

    /** Stores a new plan; a duplicate name raises {@code DuplicateKeyException}. */
    void insert(Plan plan);

    Optional<Plan> find(UUID id);

    boolean existsByName(String name);

    /** All plans by name. */
    List<Plan> list();

    /**
     * Locks up to {@code limit} enabled plans due at {@code now} for the current transaction, skipping plans
     * another replica has locked.
     */
    List<Plan> lockDue(Instant now, int limit);

    void updateNextFireAt(UUID planId, Instant nextFireAt);

    /** Finds and locks a plan for the current transaction (waiting for another transaction's lock). */
    Optional<Plan> lock(UUID id);

    /**
     * Locks up to {@code limit} enabled plans whose next restore-test slot is due at {@code now}, skipping plans
     * another replica has locked.
     */
    List<Plan> lockRestoreTestsDue(Instant now, int limit);

    void updateNextRestoreTestAt(UUID planId, Instant nextRestoreTestAt);

    void updateBackupsSinceRestoreTest(UUID planId, int backups);
}
