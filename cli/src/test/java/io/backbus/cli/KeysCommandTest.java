package io.backbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ExitCode;

/**
 * {@code backbus keys list | rotate | rewrap} against a {@link ServiceStandIn} for uploader-service answering as its
 * {@code /keys} API does (the real API is tested in the uploader's KeysIT).
 */
class KeysCommandTest {

    private static final String KEK = "aws-kms://arn:aws:kms:us-east-1:111122223333:key/37fa06d9";
    private static final String TWO_KEYS = """
            {"primaryKeyId": "3403900836", "keyEncryptionKey": "%s", "keysetEncryptedBy": "%s",
             "rewrapPending": false,
             "keys": [{"id": "516625857", "status": "ENABLED", "primary": false, "createdAt": "2026-12-01T02:00:00Z"},
                      {"id": "3403900836", "status": "ENABLED", "primary": true, "createdAt": "2026-12-04T19:24:01Z"}]}
            """.formatted(KEK, KEK);

    private final ServiceStandIn uploader = new ServiceStandIn();

    @AfterEach
    void stop() {
        uploader.close();
    }

    @Test
    void listPrintsTheKeysAsATableAndTheKeyEncryptionKey() {
        uploader.answer("GET /keys", 200, TWO_KEYS);

        CommandRun run = CommandRun.of("keys", "list", "--uploader-url", uploader.url().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out().lines()).containsExactly(
                "KEY ID      STATUS   PRIMARY  CREATED",
                "516625857   ENABLED           2026-12-01T02:00:00Z",
                "3403900836  ENABLED  yes      2026-12-04T19:24:01Z",
                "key-encryption key: " + KEK);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void listSaysWhenTheKeysetStillWaitsForARewrapAndWhenACreationTimeIsUnknown() {
        uploader.answer("GET /keys", 200, """
                {"primaryKeyId": "1", "keyEncryptionKey": "%s", "keysetEncryptedBy": "local master key /k/master-key.json",
                 "rewrapPending": true, "keys": [{"id": "1", "status": "ENABLED", "primary": true, "createdAt": null}]}
                """.formatted(KEK));

        CommandRun run = CommandRun.of("keys", "list", "--uploader-url", uploader.url().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out().lines()).contains("1       ENABLED  yes      unknown",
                "the keyset is still encrypted by local master key /k/master-key.json: run 'backbus keys rewrap'");
    }

    @Test
    void rotatePostsAndPrintsTheNewPrimaryThenTheKeys() {
        uploader.answer("POST /keys/rotate", 200, """
                {"previousPrimaryKeyId": "516625857", "primaryKeyId": "3403900836", "keyset": %s}""".formatted(TWO_KEYS));

        CommandRun run = CommandRun.of("keys", "rotate", "--uploader-url", uploader.url().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out().lines()).first()
                .isEqualTo("rotated: new primary key 3403900836 (was 516625857); older keys kept");
        assertThat(run.out().lines()).contains("3403900836  ENABLED  yes      2026-12-04T19:24:01Z");
        assertThat(uploader.received()).extracting(ServiceStandIn.Received::method).containsExactly("POST");
    }

    @Test
    void rewrapPrintsWhichKeyEncryptionKeyHeldTheKeysetBeforeAndNow() {
        uploader.answer("POST /keys/rewrap", 200, """
                {"encryptedBefore": "local master key /k/master-key.json", "encryptedNow": "%s", "keyset": %s}"""
                .formatted(KEK, TWO_KEYS));

        CommandRun run = CommandRun.of("keys", "rewrap", "--uploader-url", uploader.url().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out().lines()).first().isEqualTo("rewrapped: keyset was encrypted by local master key "
                + "/k/master-key.json, now by " + KEK + "; keys unchanged");
    }

    @Test
    void aProblemAnswerFailsWithItsDetailAndExitCode1() {
        uploader.problem("POST /keys/rotate", 503, """
                {"type": "about:blank", "title": "Keyset unavailable", "status": 503,
                 "detail": "rotation failed; the keyset is unchanged: AWS KMS Encrypt with arn:x failed: DisabledException"}""");

        CommandRun run = CommandRun.of("keys", "rotate", "--uploader-url", uploader.url().toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("backbus keys rotate failed: " + uploader.url() + "/keys/rotate "
                + "answered HTTP 503: rotation failed; the keyset is unchanged: AWS KMS Encrypt with arn:x failed: "
                + "DisabledException");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void withoutTheAdminRoleItSaysSo() {
        uploader.problem("POST /keys/rewrap", 403, "{\"status\": 403, \"detail\": \"Access Denied\"}");

        CommandRun run = CommandRun.of("keys", "rewrap", "--uploader-url", uploader.url().toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("answered HTTP 403: Access Denied (key commands need the admin role)");
    }

    @Test
    void anAnswerThatIsNoKeysetFails() {
        uploader.answer("GET /keys", 200, "{\"status\": \"ok\"}");

        CommandRun run = CommandRun.of("keys", "list", "--uploader-url", uploader.url().toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("answered HTTP 200 without a keyset");
    }

    @Test
    void anUnreachableUploaderFailsWithOneLineAndNoStackTrace() {
        URI nowhere = ServiceStandIn.unreachableUrl();

        CommandRun run = CommandRun.of("keys", "list", "--uploader-url", nowhere.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("backbus keys list failed: cannot reach " + nowhere + "/keys: ");
        assertThat(run.err()).doesNotContain("Exception:", "\tat ");
    }

    @Test
    void withoutAUrlTheLocalStackStateIsRead(@TempDir Path dataDir) throws Exception {
        uploader.answer("GET /keys", 200, TWO_KEYS);
        Files.writeString(dataDir.resolve("local-stack.json"),
                "{\"services\": {\"uploader-service\": {\"url\": \"" + uploader.url() + "\", \"pid\": 1}}}");

        CommandRun run = CommandRun.of("keys", "list", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("3403900836");
    }

    @Test
    void withoutAUrlOrALocalStackItSaysWhatToPass(@TempDir Path dataDir) {
        CommandRun run = CommandRun.of("keys", "rotate", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("pass --uploader-url");
        assertThat(uploader.received()).isEmpty();
    }

    @Test
    void anUnknownSubcommandIsAUsageError() {
        CommandRun run = CommandRun.of("keys", "delete");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Unmatched argument");
    }
}
