package io.backbus.uploader.domain;

import io.backbus.crypto.UrlSigner;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Builds the signed, expiring URL at which this uploader serves a checked restore artifact:
 * {@code <public-url>/restore-artifacts/<restoreId>?expires=<epochSeconds>&sig=<hex>}, the signature covering the
 * restore id and the expiry.
 */
public class RestoreLocations {

    /** The endpoint's path prefix. */
    public static final String PATH = "/restore-artifacts/";

    private final Supplier<String> baseUrl;
    private final UrlSigner signer;

    /** @param baseUrl this uploader's public base URL without a trailing slash (resolved late: the port may be random) */
    public RestoreLocations(Supplier<String> baseUrl, UrlSigner signer) {
        this.baseUrl = baseUrl;
        this.signer = signer;
    }

    public String location(UUID restoreId, long expiresEpochSeconds) {
        return shown(restoreId) + "?expires=" + expiresEpochSeconds + "&sig="
                + signer.sign(restoreId.toString(), expiresEpochSeconds);
    }

    /** The URL without its query, fit for logs. */
    public String shown(UUID restoreId) {
        return baseUrl.get() + PATH + restoreId;
    }
}
