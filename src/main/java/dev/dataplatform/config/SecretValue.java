package dev.dataplatform.config;

/**
 * A value given as a secret. Offline, a stack file's {@code secure:} value cannot be decrypted, so
 * the plaintext is absent; under {@code pulumi up} the engine hands over the decrypted value.
 * {@link #toString()} never prints it.
 */
public record SecretValue(String plaintext) {
    public static final SecretValue ENCRYPTED = new SecretValue(null);
    /** Offline only: a required secret the stack file does not set yet (the plan reports it). */
    public static final SecretValue MISSING = new SecretValue(null);

    /**
     * The value as a secret output. Offline the plaintext is unknown: a stand-in that only ever
     * appears masked (every use of it is a secret).
     */
    public com.pulumi.core.Output<String> toOutput() {
        return com.pulumi.core.Output.ofSecret(plaintext == null ? "offline-plan-has-no-plaintext" : plaintext);
    }

    public boolean decrypted() {
        return plaintext != null;
    }

    @Override
    public String toString() {
        return "[secret]";
    }
}
