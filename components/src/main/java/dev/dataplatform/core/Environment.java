package dev.dataplatform.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The environment a stack deploys. It selects the sizing and safety profile: dev is small and
 * disposable, stage is close to prod, prod is highly available, protected and backed up.
 */
public enum Environment {
    DEV, STAGE, PROD;

    /** The lower-case name used in config, labels and resource names ("dev", "stage", "prod"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Stage and prod hold data that must survive a mistaken `pulumi up`/`destroy`. */
    public boolean holdsDurableData() {
        return this != DEV;
    }

    public static Optional<Environment> fromId(String id) {
        return Arrays.stream(values()).filter(e -> e.id().equals(id)).findFirst();
    }

    /** "dev, stage, prod": for error messages. */
    public static String allowedIds() {
        return Arrays.stream(values()).map(Environment::id).collect(Collectors.joining(", "));
    }
}
