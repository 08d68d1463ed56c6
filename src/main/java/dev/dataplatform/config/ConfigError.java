package dev.dataplatform.config;

/**
 * One problem in a stack's config.
 *
 * @param file the stack file, e.g. {@code Pulumi.dev.yaml}
 * @param path the key path, e.g. {@code data-platform:profile.backupRetentionDays}
 * @param message what is wrong and what is allowed
 */
public record ConfigError(String file, String path, String message) {
    @Override
    public String toString() {
        return file + ": " + path + ": " + message;
    }
}
