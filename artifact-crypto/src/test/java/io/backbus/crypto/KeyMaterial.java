package io.backbus.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** The raw bytes of every data key of a store, in the encodings a leak would show them in. For secret scans. */
final class KeyMaterial {

    private KeyMaterial() {
    }

    static List<String> encodings(KeysetStore store) {
        KeysetHandle handle = store.keys().handle();
        List<String> encodings = new ArrayList<>();
        for (int i = 0; i < handle.size(); i++) {
            byte[] raw = ((AesGcmHkdfStreamingKey) handle.getAt(i).getKey()).getInitialKeyMaterial()
                    .toByteArray(InsecureSecretKeyAccess.get());
            encodings.add(Base64.getEncoder().encodeToString(raw));
            encodings.add(Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
            encodings.add(HexFormat.of().formatHex(raw));
        }
        return encodings;
    }
}
