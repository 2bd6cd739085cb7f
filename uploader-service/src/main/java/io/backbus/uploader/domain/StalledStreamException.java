package io.backbus.uploader.domain;

import java.io.IOException;

/** The artifact body sent no byte for longer than the idle timeout; the pull was cut off. Worth another attempt. */
public class StalledStreamException extends IOException {

    public StalledStreamException(String message) {
        super(message);
    }
}
