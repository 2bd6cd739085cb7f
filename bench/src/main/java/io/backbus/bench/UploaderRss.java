package io.backbus.bench;

import io.backbus.cli.BackbusApi;
import io.backbus.cli.EmbeddedStack;
import io.backbus.contracts.ArtifactManifest;
import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.BackupRequested;
import io.backbus.contracts.CloudEventHeaders;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.localstack.ServiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * The uploader's memory while it stores a large artifact: serves a synthetic incompressible artifact, publishes its
 * ArtifactReady straight to Kafka, and samples the uploader's RSS until the catalog lists the Stored backup.
 */
@Command(name = "uploader-rss", mixinStandardHelpOptions = true,
        description = "Peak RSS of the uploader (run it with BACKBUS_UPLOADER_SERVICE_JAVA_OPTS=-Xmx256m) storing a large artifact.")
final class UploaderRss extends BenchCommand.Single {

    static final String TARGET = "bench-rss";
    static final String JAVA_OPTS_VARIABLE = "BACKBUS_UPLOADER_SERVICE_JAVA_OPTS";

    @Option(names = "--gib", defaultValue = "5", description = "artifact size in GiB (default: ${DEFAULT-VALUE})")
    double gib;

    @Option(names = "--timeout", defaultValue = "PT60M", description = "longest wait for Stored (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    void run(Bench bench) {
        long size = (long) (gib * (1L << 30));
        bench.line("== uploader-rss: %d bytes (%.2f GiB)", size, gib);
        ServiceProcess uploader = bench.stack.services().service("uploader-service");
        long pid = uploader.pid();
        String opts = System.getenv(JAVA_OPTS_VARIABLE);
        bench.line("uploader pid %d, %s=%s, command line: %s", pid, JAVA_OPTS_VARIABLE, opts == null ? "(unset)" : opts,
                commandLine(pid));
        if (opts == null || !opts.contains("-Xmx256m")) {
            bench.line("WARNING: %s is not -Xmx256m; run through bench/uploader-rss or export it before the stack starts",
                    JAVA_OPTS_VARIABLE);
        }
        UUID runId = UUID.randomUUID();
        long seed = runId.getLeastSignificantBits();
        try (SyntheticArtifact artifact = new SyntheticArtifact(size, seed, "/artifacts/" + runId)) {
            long hashStart = System.nanoTime();
            String sha256 = artifact.sha256();
            bench.line("artifact sha256 %s (first pass %.1f s), served at %s", sha256,
                    (System.nanoTime() - hashStart) / 1e9, artifact.uri());

            Instant now = Instant.now();
            ArtifactReady ready = new ArtifactReady(runId, "bench-agent", TARGET, artifact.uri().toString(), sha256,
                    size, now.plus(6, ChronoUnit.HOURS), new ArtifactManifest("pg_dump-custom", "none", "bench_rss",
                            "15", "synthetic (backbus bench uploader-rss)", now.minusSeconds(1), now, null));
            String bootstrap = bench.stack.services().settings().kafkaBootstrap();
            long rssBefore = status(pid, "VmRSS");
            bench.line("uploader RSS before: %.1f MB (VmHWM so far %.1f MB)", rssBefore / 1e6, status(pid, "VmHWM") / 1e6);

            AtomicLong peak = new AtomicLong(rssBefore);
            List<Long> samples = new ArrayList<>();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    long rss = status(pid, "VmRSS");
                    if (rss < 0) {
                        return;
                    }
                    peak.accumulateAndGet(rss, Math::max);
                    synchronized (samples) {
                        samples.add(rss);
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.setDaemon(true);

            try (KafkaConsumer<String, byte[]> failures = failureWatch(bootstrap)) {
                sampler.start();
                long start = System.nanoTime();
                publish(bootstrap, ready);
                bench.line("published ArtifactReady for run %s (target %s)", runId, TARGET);
                JsonNode entry = null;
                Instant deadline = Instant.now().plus(timeout);
                long lastReport = System.nanoTime();
                while (entry == null) {
                    entry = bench.catalogEntry(TARGET, runId.toString());
                    if (entry != null) {
                        break;
                    }
                    String failure = failureOf(failures, runId);
                    if (failure != null) {
                        throw new BenchException("the uploader failed run " + runId + ": " + failure);
                    }
                    if (!uploader.isAlive()) {
                        throw new BenchException("the uploader died; see " + uploader.logFile());
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new BenchException("no Stored for run " + runId + " within " + timeout + " (served "
                                + artifact.served.get() + " bytes); see " + uploader.logFile());
                    }
                    if (System.nanoTime() - lastReport > 10_000_000_000L) {
                        lastReport = System.nanoTime();
                        bench.line("  +%.0f s: served %d MB, uploader RSS %.1f MB (peak %.1f MB)",
                                (lastReport - start) / 1e9, artifact.served.get() / 1_000_000, status(pid, "VmRSS") / 1e6,
                                peak.get() / 1e6);
                    }
                    Bench.sleep(500);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                sampler.interrupt();
                long hwm = status(pid, "VmHWM");
                long stored = entry.path("ciphertextSize").asLong();
                double transfer = artifact.lastByteNanos > 0 ? (artifact.lastByteNanos - artifact.firstByteNanos) / 1e9
                        : Double.NaN;
                int sampleCount;
                synchronized (samples) {
                    sampleCount = samples.size();
                }
                bench.line("stored s3://%s/%s: %d bytes encrypted (%d bytes artifact), %d GET(s) served",
                        entry.path("bucket").asString(), entry.path("objectKey").asString(), stored,
                        entry.path("plaintextSize").asLong(), artifact.requests.get());
                bench.line("artifact pull (first to last byte served): %.1f s", transfer);
                bench.line("uploader_peak_rss_mb=%.1f vmhwm_mb=%.1f rss_before_mb=%.1f samples=%d", peak.get() / 1e6,
                        hwm / 1e6, rssBefore / 1e6, sampleCount);
                bench.line("bytes=%d seconds=%.1f mb_per_s=%.1f", size, seconds, size / 1e6 / seconds);
                delete(bench, entry);
            }
        } catch (IOException e) {
            throw new BenchException("cannot serve the synthetic artifact: " + e.getMessage(), e);
        }
    }

    /**
     * Publishes what the scheduler and the agent would: the run's BackupRequested (the uploader stores artifacts of
     * requested runs only), then the ArtifactReady.
     */
    private static void publish(String bootstrap, ArtifactReady ready) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        Instant now = Instant.now();
        var request = new BackupRequested(ready.runId(), UUID.randomUUID(), "uploader-rss", ready.agentId(),
                ready.target(), now, now, 1, "manual");
        try (var producer = new KafkaProducer<String, byte[]>(props)) {
            producer.send(record(Topics.BACKUP_REQUESTED, EventTypes.BACKUP_REQUESTED, ready, request))
                    .get(30, TimeUnit.SECONDS);
            producer.send(record(Topics.ARTIFACT_READY, EventTypes.ARTIFACT_READY, ready, ready))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchException("cannot publish BackupRequested and ArtifactReady: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    private static ProducerRecord<String, byte[]> record(String topic, String type, ArtifactReady ready, Object body) {
        var record = new ProducerRecord<String, byte[]>(topic, ready.target(), BackbusApi.JSON.writeValueAsBytes(body));
        header(record, CloudEventHeaders.ID, UUID.randomUUID().toString());
        header(record, CloudEventHeaders.TYPE, type);
        header(record, CloudEventHeaders.SOURCE, "urn:backbus:bench");
        header(record, CloudEventHeaders.TIME, Instant.now().toString());
        header(record, CloudEventHeaders.SUBJECT, ready.runId().toString());
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        header(record, CloudEventHeaders.CONTENT_TYPE, "application/json");
        return record;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A consumer positioned at the end of the BackupFailed topic, to notice a failure of our run at once. */
    private static KafkaConsumer<String, byte[]> failureWatch(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        var consumer = new KafkaConsumer<String, byte[]>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.BACKUP_FAILED, Duration.ofSeconds(15));
            if (infos != null) {
                infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            }
        } catch (RuntimeException e) {
            // no topic yet: failures then go unnoticed until the timeout
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static String failureOf(KafkaConsumer<String, byte[]> consumer, UUID runId) {
        if (consumer.assignment().isEmpty()) {
            return null;
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            Header subject = record.headers().lastHeader(CloudEventHeaders.SUBJECT);
            if (subject != null && runId.toString().equals(new String(subject.value(), StandardCharsets.UTF_8))) {
                return new String(record.value(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Deletes the stored object and its manifest from S3Mock, to give the disk back. */
    private static void delete(Bench bench, JsonNode entry) {
        try (S3Client s3 = bench.s3Client()) {
            String bucket = entry.path("bucket").asString(EmbeddedStack.BUCKET);
            for (String field : List.of("objectKey", "manifestKey")) {
                JsonNode key = entry.path(field);
                if (key.isString() && !key.asString().isEmpty()) {
                    s3.deleteObject(b -> b.bucket(bucket).key(key.asString()));
                }
            }
            bench.line("deleted s3://%s/%s and its manifest from S3Mock", bucket, entry.path("objectKey").asString());
        } catch (RuntimeException e) {
            bench.line("WARNING: could not delete the stored object: %s", e.getMessage());
        }
    }

    /** A {@code /proc/<pid>/status} field in bytes (VmRSS, VmHWM), or -1 when the process is gone. */
    static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
            String cmd = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
            int jar = cmd.indexOf(" -jar ");
            return jar > 0 ? cmd.substring(0, jar) + " -jar ..." : cmd;
        } catch (IOException e) {
            return "?";
        }
    }
}
