package io.backbus.uploader.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who holds a run's upload, and for how long without saying so (ADR 0013), under
 * {@code backbus.uploader.claims}. Invalid values fail the start with a message naming the property.
 *
 * @param lease         how long a claim stays the holder's without being renewed (default 30s); the holder renews
 *                      it every third of that while it works, so a dead holder's runs are taken over after at most
 *                      one lease. Multipart uploads older than twice this with no live claim count as abandoned.
 * @param instanceName  the holder's name written into its claims (default {@code <hostname>-<pid>}, or a random one
 *                      when the host name cannot be resolved); must differ between live replicas
 * @param sweepInterval how often abandoned multipart uploads are looked for and aborted (default 1m)
 */
@ConfigurationProperties("backbus.uploader.claims")
public record ClaimProperties(Duration lease, String instanceName, Duration sweepInterval) {

    /** A claim shorter than this would have to be renewed more often than a database round trip can be trusted. */
    public static final Duration MIN_LEASE = Duration.ofSeconds(1);
    static final int MAX_INSTANCE_NAME = 200;

    public ClaimProperties {
        lease = lease == null ? Duration.ofSeconds(30) : lease;
        sweepInterval = sweepInterval == null ? Duration.ofMinutes(1) : sweepInterval;
        instanceName = instanceName == null || instanceName.isBlank() ? defaultInstanceName() : instanceName.strip();
        if (lease.compareTo(MIN_LEASE) < 0) {
            throw new IllegalArgumentException("backbus.uploader.claims.lease must be at least 1s, was " + lease);
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("backbus.uploader.claims.sweep-interval must be positive, was "
                    + sweepInterval);
        }
        if (instanceName.length() > MAX_INSTANCE_NAME || !instanceName.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("backbus.uploader.claims.instance-name must be at most "
                    + MAX_INSTANCE_NAME + " printable ASCII characters without spaces");
        }
    }

    /** How often a holder renews its claims: a third of the lease, so two renewals may fail before it lapses. */
    public Duration renewInterval() {
        return lease.dividedBy(3);
    }

    /** Age after which an in-progress multipart upload with no live claim of its key is aborted. */
    public Duration abandonedAfter() {
        return lease.multipliedBy(2);
    }

    /** {@code <hostname>-<pid>}: unique among the processes of a host, stable for a process's life. */
    static String defaultInstanceName() {
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
        } catch (UnknownHostException | SecurityException e) {
            return "uploader-" + UUID.randomUUID();
        }
    }
}
