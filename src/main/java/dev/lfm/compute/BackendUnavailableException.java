package dev.lfm.compute;

/** A backend cannot run here (no driver, no platform, no device); the message is one line. */
public class BackendUnavailableException extends dev.lfm.LfmException {
    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
