package io.backbus.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.SchemaLoader;

/**
 * Validates JSON against JSON Schemas (draft 2020-12 unless the schema says otherwise) found on the classpath,
 * e.g. the {@code schemas/<name>.schema.json} and {@code samples/<name>.json} shipped by the contracts module.
 */
public final class ContractAssertions {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaLoaders(l -> l.add(new ClasspathSchemasByFileName())));

    private ContractAssertions() {
    }

    /**
     * Fails with all validation messages unless {@code json} is valid against the schema. {@code schemaResource}
     * is a classpath path ({@code schemas/backup-requested.schema.json}) or a bare name ({@code backup-requested}).
     */
    public static void assertValid(String schemaResource, String json) {
        List<String> errors = validate(schemaResource, json);
        if (!errors.isEmpty()) {
            throw new AssertionError("JSON does not match " + resolve(schemaResource) + ":" + System.lineSeparator()
                    + "  " + String.join(System.lineSeparator() + "  ", errors) + System.lineSeparator()
                    + "JSON: " + json);
        }
    }

    /** Fails unless {@code json} violates the schema; returns the validation messages. */
    public static List<String> assertInvalid(String schemaResource, String json) {
        List<String> errors = validate(schemaResource, json);
        if (errors.isEmpty()) {
            throw new AssertionError("expected JSON to violate " + resolve(schemaResource) + " but it is valid: "
                    + json);
        }
        return errors;
    }

    /** The validation messages (empty when valid). */
    public static List<String> validate(String schemaResource, String json) {
        JsonSchema schema = schema(schemaResource);
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage() + System.lineSeparator() + json, e);
        }
        Set<ValidationMessage> messages = schema.validate(node);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    /** The UTF-8 text of classpath resource {@code samples/<name>.json} ({@code name} may end in .json). */
    public static String sample(String name) {
        String path = name.startsWith("samples/") ? name : "samples/" + name;
        if (!path.endsWith(".json")) {
            path = path + ".json";
        }
        return resource(path);
    }

    /** The UTF-8 text of a classpath resource; fails clearly when it is missing. */
    public static String resource(String path) {
        try (InputStream in = classLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new AssertionError("classpath resource not found: " + path
                        + " (is the module that ships it, e.g. contracts, a test dependency?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema schema(String schemaResource) {
        String path = resolve(schemaResource);
        return CACHE.computeIfAbsent(path, p -> {
            if (classLoader().getResource(p) == null) {
                throw new AssertionError("JSON schema not found on the classpath: " + p);
            }
            return FACTORY.getSchema(SchemaLocation.of("classpath:" + p));
        });
    }

    private static String resolve(String schemaResource) {
        String p = schemaResource.startsWith("/") ? schemaResource.substring(1) : schemaResource;
        if (p.startsWith("classpath:")) {
            p = p.substring("classpath:".length());
        }
        if (!p.contains("/") && !p.endsWith(".json")) {
            p = "schemas/" + p + ".schema.json";
        }
        return p;
    }

    private static ClassLoader classLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : ContractAssertions.class.getClassLoader();
    }

    /**
     * Resolves a {@code $ref}/{@code $id} with an absolute (e.g. https) IRI to {@code schemas/<last segment>} on
     * the classpath when that resource exists, so schemas referencing each other never hit the network.
     */
    private static final class ClasspathSchemasByFileName implements SchemaLoader {
        @Override
        public InputStreamSource getSchema(AbsoluteIri iri) {
            String s = iri.toString();
            if (s.startsWith("classpath:") || s.startsWith("resource:")) {
                return null;
            }
            int hash = s.indexOf('#');
            if (hash >= 0) {
                s = s.substring(0, hash);
            }
            String file = s.substring(s.lastIndexOf('/') + 1);
            if (file.isEmpty()) {
                return null;
            }
            for (String candidate : new String[] {"schemas/" + file, "schemas/" + file + ".schema.json",
                    "schemas/" + file + ".json"}) {
                URL url = classLoader().getResource(candidate);
                if (url != null) {
                    return url::openStream;
                }
            }
            return null;
        }
    }
}
