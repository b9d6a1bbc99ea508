package dev.gymlink.env;

/** The env itself raised an error; the message carries its type and text (INTERNAL). */
public class EnvInternalException extends EnvException {

    private static final long serialVersionUID = 1L;

    public EnvInternalException(String message) {
        super(message);
    }

    public EnvInternalException(String message, Throwable cause) {
        super(message, cause);
    }
}
