package io.backbus.cli;

import com.github.luben.zstd.ZstdInputStream;
import io.backbus.crypto.ArtifactCipher;
import io.backbus.crypto.KeysetStore;
import io.backbus.localstack.PostgresCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Restores a stored backup without the services: download from the bucket, decrypt in-stream with the uploader's
 * keyset, decompress as the manifest says, pipe into {@code pg_restore}. The evented restore path is a separate feature; this is the operator's
 * break-glass path and the demo's proof.
 */
final class DirectRestore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final S3Client s3;
    private final ArtifactCipher cipher;
    private final PostgresCluster postgres;

    DirectRestore(S3Client s3, Path masterKeyFile, Path keysetFile, PostgresCluster postgres) {
        this.s3 = s3;
        this.cipher = new ArtifactCipher(KeysetStore.openOrCreate(masterKeyFile, keysetFile));
        this.postgres = postgres;
    }

    /**
     * Restores the backup whose encrypted artifact is {@code objectKey} into a new database {@code database}. The
     * manifest beside it ({@code manifestKey}) says how the artifact is compressed.
     */
    void restore(String bucket, String objectKey, String manifestKey, String database) {
        String compression = manifest(bucket, manifestKey).path("manifest").path("compression").asString("none");
        if (!compression.equals("zstd") && !compression.equals("none")) {
            throw new CliException("backup " + objectKey + " uses compression '" + compression
                    + "', which this restore does not know");
        }
        postgres.execute("postgres", "drop database if exists " + database + " with (force)");
        postgres.execute("postgres", "create database " + database);
        List<String> command = List.of(PostgresCluster.binDir().resolve("pg_restore").toString(),
                "--no-owner", "--exit-on-error", "-h", postgres.host(), "-p", String.valueOf(postgres.port()),
                "-U", postgres.superuser(), "-d", database);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", postgres.superuserPassword());
        try {
            Process restore = pb.start();
            var output = new java.io.ByteArrayOutputStream();
            Thread drain = new Thread(() -> {
                try (InputStream in = restore.getInputStream()) {
                    in.transferTo(output);
                } catch (IOException ignored) {
                    // pg_restore ended
                }
            }, "pg_restore-output");
            drain.start();
            try (InputStream ciphertext = s3.getObject(GetObjectRequest.builder().bucket(bucket).key(objectKey).build());
                 InputStream decrypted = cipher.decryptingStream(ciphertext, objectKey);
                 InputStream plaintext = compression.equals("zstd") ? new ZstdInputStream(decrypted) : decrypted;
                 OutputStream toRestore = restore.getOutputStream()) {
                plaintext.transferTo(toRestore);
            } catch (IOException e) {
                // a broken pipe means pg_restore gave up: its own message says why
                restore.waitFor(30, TimeUnit.SECONDS);
                drain.join(5000);
                throw new CliException("restore of " + objectKey + " failed: " + e.getMessage() + "; pg_restore said: "
                        + output.toString(StandardCharsets.UTF_8).trim(), e);
            }
            if (!restore.waitFor(30, TimeUnit.MINUTES)) {
                restore.destroyForcibly();
                throw new CliException("pg_restore did not finish within 30 minutes");
            }
            drain.join();
            if (restore.exitValue() != 0) {
                throw new CliException("pg_restore failed (exit " + restore.exitValue() + "): "
                        + output.toString(StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new CliException("restore of " + objectKey + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        }
    }

    private JsonNode manifest(String bucket, String manifestKey) {
        try {
            return JSON.readTree(s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(manifestKey).build())
                    .asInputStream());
        } catch (RuntimeException e) {
            throw new CliException("cannot read the manifest " + manifestKey + ": " + e.getMessage(), e);
        }
    }
}
