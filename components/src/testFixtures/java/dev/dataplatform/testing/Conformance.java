package dev.dataplatform.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real upstream files the conformance tests read (pgSTAC SQL, CRDs, charts): they are not part of
 * the project and are never copied into it. They are found in the directory named by the environment
 * variable {@value #ENV}, by default {@code shared/conformance} beside the repository (see its
 * SOURCES.md for the upstream repositories and tags). Absent files skip the test with a message on a
 * developer machine and fail it under {@code CI=true}.
 */
public final class Conformance {
    public static final String ENV = "DATAPLATFORM_CONFORMANCE_DIR";

    private Conformance() {
    }

    /** The conformance directory (it may not exist). */
    public static Path dir() {
        String configured = System.getenv(ENV);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        // Tests run in a module directory (components/ or src/), one level below the repository.
        Path module = Path.of("").toAbsolutePath();
        Path root = Files.exists(module.resolve("Pulumi.yaml")) ? module : module.getParent();
        return root.getParent().resolve("shared/conformance").normalize();
    }

    /**
     * A file or folder inside the conformance directory, e.g. {@code require("pgstac-0.9.11")}; skips the
     * test when it is missing, or fails it under {@code CI=true}.
     */
    public static Path require(String relative) {
        Path path = dir().resolve(relative);
        if (!Files.exists(path)) {
            String message = "conformance file " + path + " not found: set " + ENV
                    + " to a directory holding the upstream files listed in shared/conformance/SOURCES.md";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI must run the conformance tests: " + message);
            }
            Assumptions.abort(message);
        }
        return path;
    }
}
