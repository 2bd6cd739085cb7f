package io.backbus.uploader.pull;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The http(s) locations the uploader pulls from ({@code backbus.uploader.allowed-sources}): each entry is a base URL
 * (scheme, host, port, optional path); a location is allowed when it has the same scheme, host and port and its path
 * lies below the entry's. Empty allows every http(s) location — a party that may produce {@code ArtifactReady} could
 * then make the uploader fetch from any host it reaches (ADR 0010).
 */
record AllowedSources(List<URI> bases) {

    static final AllowedSources ANY = new AllowedSources(List.of());

    AllowedSources {
        bases = List.copyOf(bases);
        for (URI base : bases) {
            String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
                throw new IllegalArgumentException("backbus.uploader.allowed-sources: '" + base + "' is not an "
                        + "http(s) base URL with a host");
            }
        }
    }

    boolean any() {
        return bases.isEmpty();
    }

    boolean permits(URI location) {
        return any() || bases.stream().anyMatch(base -> below(location, base));
    }

    private static boolean below(URI location, URI base) {
        if (location.getScheme() == null || location.getHost() == null
                || !location.getScheme().equalsIgnoreCase(base.getScheme())
                || !location.getHost().equalsIgnoreCase(base.getHost())
                || port(location) != port(base) || location.getRawUserInfo() != null) {
            return false;
        }
        String basePath = base.normalize().getRawPath() == null ? "" : base.normalize().getRawPath();
        String path = location.normalize().getRawPath() == null ? "" : location.normalize().getRawPath();
        if (basePath.isEmpty() || basePath.equals("/")) {
            return true;
        }
        String prefix = basePath.endsWith("/") ? basePath : basePath + "/";
        return path.startsWith(prefix);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
