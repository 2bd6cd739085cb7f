package io.backbus.scheduler.domain;

import java.time.Instant;

/**
 * How far a run's dump and upload have come, from BackupProgress telemetry; every field null until reported.
 *
 * @param bytesDumped      bytes the agent has written to staging
 * @param bytesUploaded    bytes of the artifact the uploader has read, encrypted and sent
 * @param uploadTotalBytes the artifact's size, which the upload works towards
 * @param progressAt       when the latest progress was measured
 */
public record RunProgress(Long bytesDumped, Long bytesUploaded, Long uploadTotalBytes, Instant progressAt) {

    public static final RunProgress NONE = new RunProgress(null, null, null, null);
}
