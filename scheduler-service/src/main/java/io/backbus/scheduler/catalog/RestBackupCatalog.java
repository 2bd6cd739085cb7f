package io.backbus.scheduler.catalog;

import io.backbus.scheduler.config.SchedulerProperties;
import io.backbus.scheduler.domain.BackupCatalog;
import io.backbus.scheduler.domain.CatalogBackup;
import io.backbus.scheduler.domain.CatalogUnavailableException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalog of retention-service over its REST API: {@code GET /backups/{id}} and
 * {@code GET /backups?target=<t>} (newest first), with the connect and read timeouts of
 * {@code backbus.scheduler.catalog-*}, presenting {@code backbus.scheduler.catalog-token} as its bearer token. An
 * answer missing a field a restore needs is refused as unusable rather
 * than passed on to the uploader. Messages never contain the catalog's URL.
 */
@Component
class RestBackupCatalog implements BackupCatalog {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final RestClient http;

    RestBackupCatalog(SchedulerProperties properties) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(properties.catalogConnectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
        requests.setReadTimeout(properties.catalogReadTimeout());
        RestClient.Builder builder = RestClient.builder()
                .baseUrl(properties.catalogUrl().toString())
                .requestFactory(requests)
                .defaultHeader("Accept", MediaType.APPLICATION_JSON_VALUE);
        if (properties.catalogToken() != null) {
            // the catalog's API needs a viewer's credential (ADR 0011)
            builder.defaultHeader("Authorization", "Bearer " + properties.catalogToken());
        }
        this.http = builder.build();
    }

    @Override
    public Optional<CatalogBackup> find(UUID backupId) {
        Optional<CatalogBackup> found = get("backup " + backupId,
                http.get().uri("/backups/{id}", backupId),
                body -> backup(JSON.readTree(body)));
        if (found.isPresent() && !backupId.equals(found.get().backupId())) {
            throw new CatalogUnavailableException("the catalog answered backup " + found.get().backupId()
                    + " when asked for " + backupId);
        }
        return found;
    }

    @Override
    public List<CatalogBackup> newestFirst(String target) {
        return get("the backups of target '" + target + "'",
                http.get().uri(b -> b.path("/backups").queryParam("target", "{target}").build(target)),
                body -> {
                    JsonNode list = JSON.readTree(body);
                    if (!list.isArray()) {
                        throw new IllegalArgumentException("expected a JSON array of backups");
                    }
                    List<CatalogBackup> backups = new ArrayList<>();
                    for (JsonNode item : list) {
                        CatalogBackup backup = backup(item);
                        if (!target.equals(backup.target())) {
                            throw new IllegalArgumentException("listed backup " + backup.backupId() + " of target '"
                                    + backup.target() + "' when asked for target '" + target + "'");
                        }
                        backups.add(backup);
                    }
                    return backups;
                }).orElse(List.of());
    }

    /** One GET: 404 is empty, 2xx is parsed, anything else (or no answer) is the catalog being unavailable. */
    private <T> Optional<T> get(String what, RestClient.RequestHeadersSpec<?> request, Function<String, T> parse) {
        try {
            return request.exchange((req, response) -> {
                HttpStatusCode status = response.getStatusCode();
                if (status.value() == 404) {
                    return Optional.empty();
                }
                if (!status.is2xxSuccessful()) {
                    throw new CatalogUnavailableException("the catalog answered HTTP " + status.value()
                            + " when asked for " + what);
                }
                String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
                try {
                    return Optional.of(parse.apply(body));
                } catch (JacksonException | IllegalArgumentException e) {
                    throw new CatalogUnavailableException("the catalog's answer for " + what
                            + " cannot be used: " + describe(e));
                }
            });
        } catch (ResourceAccessException e) {
            throw new CatalogUnavailableException("the catalog could not be reached when asking for " + what + ": "
                    + rootCause(e), e);
        } catch (RestClientException e) {
            if (e.getCause() instanceof CatalogUnavailableException unavailable) {
                throw unavailable;
            }
            throw new CatalogUnavailableException("the catalog could not be asked for " + what + ": "
                    + rootCause(e), e);
        }
    }

    private static CatalogBackup backup(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object for a backup");
        }
        UUID backupId = UUID.fromString(text(node, "backupId"));
        String sha256 = text(node, "plaintextSha256");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("plaintextSha256 of backup " + backupId + " is not 64 hex digits");
        }
        String storedAt = optionalText(node, "storedAt");
        return new CatalogBackup(backupId, UUID.fromString(text(node, "runId")), text(node, "target"),
                optionalText(node, "agentId"), text(node, "bucket"), text(node, "objectKey"),
                text(node, "manifestKey"), size(node, "plaintextSize"), size(node, "ciphertextSize"), sha256,
                text(node, "status"), storedAt == null ? null : Instant.parse(storedAt));
    }

    private static String text(JsonNode node, String field) {
        String value = optionalText(node, field);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a backup lacks '" + field + "'");
        }
        return value;
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static long size(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new IllegalArgumentException("a backup lacks a non-negative integer '" + field + "'");
        }
        return value.asLong();
    }

    private static String describe(Exception e) {
        return e instanceof JacksonException j ? "not valid JSON (" + j.getOriginalMessage() + ")" : e.getMessage();
    }

    /** The innermost cause's message (the JDK's "Connection refused", "request timed out"), never the URL. */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (root instanceof IOException && (message == null || message.isBlank())) {
            return root.getClass().getSimpleName();
        }
        return message == null || message.isBlank() ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + message;
    }
}
