package io.backbus.notifier.messaging;

import io.backbus.notifier.config.NotifierProperties;
import io.backbus.notifier.domain.Alert;
import io.backbus.notifier.domain.AlertDelivery;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Delivers due alerts to the webhook, on one background thread per replica. Replicas share the work: each claims
 * due alerts with {@code FOR UPDATE SKIP LOCKED} and a lease. Delivery is at least once (a crash between the POST
 * and recording it re-sends after the lease); receivers de-duplicate on {@code X-Backbus-Alert-Id}. A failing
 * round is logged and retried at the next poll: the loop never dies.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final int BATCH = 20;

    private final AlertDelivery delivery;
    private final WebhookSender sender;
    private final Duration pollInterval;
    private final Duration lease;
    private volatile boolean running;
    private volatile Thread worker;
    private long lastReportedUndeliverable = -1;

    WebhookDispatcher(AlertDelivery delivery, WebhookSender sender, NotifierProperties properties) {
        this.delivery = delivery;
        this.sender = sender;
        this.pollInterval = properties.delivery().pollInterval();
        // long enough for a whole batch to time out one by one before another replica may take it over
        this.lease = properties.webhook().timeout().multipliedBy(BATCH).plusSeconds(30);
    }

    /**
     * Sends the alerts due now.
     *
     * @return how many were attempted
     */
    int dispatchDue() {
        if (!sender.configured()) {
            reportUndeliverable();
            return 0;
        }
        List<Alert> due = delivery.claimDue(BATCH, lease);
        for (Alert alert : due) {
            WebhookSender.Result result = sender.send(alert);
            if (!result.delivered() && Thread.currentThread().isInterrupted()) {
                break; // shutting down: not the webhook's fault; this and the rest are retried after their lease
            }
            if (result.delivered()) {
                delivery.delivered(alert, sender.channel());
            } else {
                delivery.failed(alert, sender.channel(), result.error());
            }
        }
        return due.size();
    }

    private void reportUndeliverable() {
        long pending = delivery.pending();
        if (pending != lastReportedUndeliverable && pending > 0) {
            log.warn("{} alert(s) pending and undeliverable for now: no webhook configured "
                    + "(backbus.notifier.webhook.url); they are delivered once one is", pending);
        }
        lastReportedUndeliverable = pending;
    }

    private void loop() {
        while (running) {
            try {
                if (dispatchDue() < BATCH) {
                    Thread.sleep(pollInterval.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Alert dispatch round failed, retrying: {}", e.toString());
                sleepQuietly(Math.max(1000, pollInterval.toMillis() * 4));
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        if (sender.configured()) {
            log.info("Delivering alerts to {}", sender.channel());
        }
        Thread t = new Thread(this::loop, "webhook-dispatcher");
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
