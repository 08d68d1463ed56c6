package dev.dataplatform.config;

/**
 * One problem in a stack's config.
 *
 * @param file the stack file, e.g. {@code Pulumi.dev.yaml}
 * @param path the key path, e.g. {@code data-platform:profile.backupRetentionDays}
 * @param message what is wrong and what is allowed
 */
public record ConfigError(String file, String path, String message) {
    /** The user-info part of a URL ({@code scheme://user:password@}): never printed. */
    private static final java.util.regex.Pattern URL_CREDENTIALS =
            java.util.regex.Pattern.compile("(?i)([a-z][a-z0-9+.-]{0,30}://)[^/@\\s'\"]{1,256}@");

    /**
     * The message as given, with any credential in a URL masked: a message may quote a value to say what
     * is wrong with it, and a URL with a password in it must not reach a terminal or a CI log.
     */
    public ConfigError {
        message = URL_CREDENTIALS.matcher(message).replaceAll("$1[secret]@");
    }

    @Override
    public String toString() {
        return file + ": " + path + ": " + message;
    }
}
