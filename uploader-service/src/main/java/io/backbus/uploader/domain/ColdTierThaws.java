package io.backbus.uploader.domain;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carries pending cold-tier thaws on, from a timer rather than a consumer thread (a thaw takes hours): each due
 * one is claimed, checked with HeadObject, and either rescheduled or — thawed and checked, timed out, or gone —
 * finished, its outcome published in the transaction that removes it. A claim whose holder died expires after
 * {@link #CLAIM_LEASE}, and only the holder of the current claim publishes, so a restore is answered once.
 */
@Service
public class ColdTierThaws {

    private static final Logger log = LoggerFactory.getLogger(ColdTierThaws.class);

    /** How long a claimed thaw is left to its checker (a check pass of a large backup included). */
    static final Duration CLAIM_LEASE = Duration.ofHours(1);

    private final RestoreThawStore thaws;
    private final RestoreService restores;
    private final TransactionOperations tx;
    private final Clock clock;

    public ColdTierThaws(RestoreThawStore thaws, RestoreService restores,
            PlatformTransactionManager transactionManager, Clock clock) {
        this.thaws = thaws;
        this.restores = restores;
        this.tx = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Checks every thaw that is due, one after the other, while {@code running}.
     *
     * @return how many were checked
     */
    public int pollDue(BooleanSupplier running) {
        int checked = 0;
        while (running.getAsBoolean()) {
            Optional<PendingThaw> due = thaws.claimDue(clock.instant(), clock.instant().plus(CLAIM_LEASE));
            if (due.isEmpty()) {
                return checked;
            }
            checked++;
            check(due.get());
        }
        return checked;
    }

    private void check(PendingThaw thaw) {
        RestoreOutcome outcome = restores.continueThaw(thaw.request(), thaw.deadline());
        if (outcome instanceof RestoreOutcome.Thawing thawing) {
            if (!thaws.reschedule(thaw, thawing.nextCheckAt())) {
                log.info("Restore {}: another replica took over its thaw", thaw.request().restoreId());
            }
            return;
        }
        tx.executeWithoutResult(status -> {
            if (thaws.finish(thaw)) {
                restores.record(outcome);
            } else {
                log.info("Restore {}: another replica took over its thaw and answers it",
                        thaw.request().restoreId());
            }
        });
    }
}
