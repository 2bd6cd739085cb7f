package io.backbus.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {

    @Test
    void theFirstStartGeneratesPrivateRandomTokensLaterStartsKeepThem(@TempDir Path workDir) throws Exception {
        ApiTokens.ensure(workDir);
        Path admin = ServiceStack.apiTokenFile(workDir);
        String token = ApiTokens.read(admin);
        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(admin))).isEqualTo("rw-------");
        assertThat(ApiTokens.read(ServiceStack.catalogTokenFile(workDir))).isNotEqualTo(token);

        ApiTokens.ensure(workDir);
        assertThat(ApiTokens.read(admin)).isEqualTo(token);
    }

    @Test
    void servicesGetTheSha256Hex() {
        assertThat(ApiTokens.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
