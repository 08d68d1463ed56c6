package dev.dataplatform.config;

import java.util.List;
import java.util.stream.Collectors;

/** Invalid stack config: every problem found, one per line. Thrown before any resource is declared. */
public final class ConfigException extends RuntimeException {
    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public static ConfigException of(String file, String path, String message) {
        return new ConfigException(List.of(new ConfigError(file, path, message)));
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
