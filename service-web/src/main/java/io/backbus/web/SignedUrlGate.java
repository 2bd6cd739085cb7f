package io.backbus.web;

import io.backbus.crypto.UrlSigner;
import java.util.Objects;
import org.springframework.http.HttpStatus;

/**
 * Admits a request to the one resource its signed URL names, or refuses it before the handler reads anything:
 * missing, malformed or wrong signature (also another resource's, or a changed expiry) 403, correctly signed but
 * expired 403 with {@code parameter: expires} ({@link SignedUrlRefusedException}, rendered by {@link ProblemResponses}). The signature is checked
 * first, so an unsigned request learns nothing about expiry or existence.
 */
public final class SignedUrlGate {

    private final UrlSigner signer;
    private final String served;

    /**
     * @param signer the service's URL signer
     * @param served what the URLs serve, as the refusal names it ({@code "artifact"}: "this artifact URL has expired")
     */
    public SignedUrlGate(UrlSigner signer, String served) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.served = Objects.requireNonNull(served, "served");
    }

    /**
     * Returns if the URL's {@code expires} and {@code sig} parameters, exactly as they arrived, sign
     * {@code resource} and have not expired; throws otherwise.
     *
     * @throws SignedUrlRefusedException 403, naming the refused parameter ({@code sig} or {@code expires})
     */
    public void admit(String resource, String expires, String signature) {
        switch (signer.verify(resource, expires, signature)) {
            case VALID -> {
            }
            case BAD_SIGNATURE -> throw new SignedUrlRefusedException(HttpStatus.FORBIDDEN, "sig",
                    "missing or invalid signature for this URL");
            case EXPIRED -> throw new SignedUrlRefusedException(HttpStatus.FORBIDDEN, "expires",
                    "this " + served + " URL has expired");
        }
    }

    @Override
    public String toString() {
        return "SignedUrlGate[" + served + ", " + signer + "]";
    }
}
