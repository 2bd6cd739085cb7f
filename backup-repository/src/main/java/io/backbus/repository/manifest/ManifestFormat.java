package io.backbus.repository.manifest;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one reader and writer of {@link BackupManifest}s. Written as JSON with RFC 3339 dates; read leniently about
 * fields (a later writer may add some) but strictly about {@code kind} and {@code manifestVersion}: a manifest of
 * another kind or version is refused, never half-understood.
 */
public final class ManifestFormat {

    /** {@code kind} of every manifest. */
    public static final String KIND = "backbus.artifact-manifest";
    /** The one {@code manifestVersion} written and understood. */
    public static final int VERSION = 1;
    /** Content type of the manifest object. */
    public static final String CONTENT_TYPE = "application/json";

    // the same settings as the event codec, so a manifest and its Stored event are written alike
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ManifestFormat() {
    }

    public static byte[] write(BackupManifest manifest) {
        return JSON.writeValueAsBytes(manifest);
    }

    /**
     * @throws InvalidManifestException if the bytes are not JSON, not an object, of another kind or version, or
     *                                   their fields do not parse
     */
    public static BackupManifest read(byte[] bytes) throws InvalidManifestException {
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new InvalidManifestException("not JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidManifestException("not a JSON object");
        }
        JsonNode kind = tree.get("kind");
        if (kind == null || !kind.isString() || !KIND.equals(kind.asString())) {
            throw new InvalidManifestException("kind is " + (kind == null ? "missing" : kind.toString())
                    + ", expected \"" + KIND + "\"");
        }
        JsonNode version = tree.get("manifestVersion");
        if (version == null || !version.isIntegralNumber() || version.asInt() != VERSION) {
            throw new InvalidManifestException("manifestVersion is " + (version == null ? "missing"
                    : version.toString()) + ", only " + VERSION + " is supported");
        }
        try {
            return JSON.treeToValue(tree, BackupManifest.class);
        } catch (JacksonException e) {
            throw new InvalidManifestException("unparsable manifest: " + e.getOriginalMessage());
        }
    }
}
