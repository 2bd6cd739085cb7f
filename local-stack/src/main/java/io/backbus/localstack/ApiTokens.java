package io.backbus.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The embedded stack's API tokens (ADR 0011): random 256-bit tokens in files of mode 600 under the stack's work
 * directory, created at the first start and kept afterwards; the services get their SHA-256 only.
 */
final class ApiTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiTokens() {
    }

    /** Creates the admin and the catalog token under {@code workDir} unless they exist. */
    static void ensure(Path workDir) {
        create(ServiceStack.apiTokenFile(workDir));
        create(ServiceStack.catalogTokenFile(workDir));
    }

    static String read(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (token.isEmpty()) {
                throw new LocalStackException("the API token file " + file + " is empty: delete it to have a new"
                        + " token generated at the next start");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API token file " + file, e);
        }
    }

    static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void create(Path file) {
        if (Files.exists(file)) {
            return;
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try {
            Files.createDirectories(file.getParent());
            try {
                // mode 600 from the start: the token is never readable by others, not even briefly
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            // another start made it first: use theirs
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the API token file " + file, e);
        }
    }
}
