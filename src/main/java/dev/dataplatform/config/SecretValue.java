package dev.dataplatform.config;

/**
 * A value given as a secret. Offline, a stack file's {@code secure:} value cannot be decrypted, so
 * the plaintext is absent; under {@code pulumi up} the engine hands over the decrypted value.
 * {@link #toString()} never prints it.
 */
public record SecretValue(String plaintext) {
    public static final SecretValue ENCRYPTED = new SecretValue(null);

    public boolean decrypted() {
        return plaintext != null;
    }

    @Override
    public String toString() {
        return "[secret]";
    }
}
