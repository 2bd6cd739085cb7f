package io.backbus.agent.domain;

/** A target's configured password source cannot provide a password. The message never contains a secret. */
public class CredentialsUnavailableException extends RuntimeException {

    public CredentialsUnavailableException(String message) {
        super(message);
    }
}
