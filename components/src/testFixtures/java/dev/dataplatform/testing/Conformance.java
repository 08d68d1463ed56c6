package dev.dataplatform.testing;

import dev.dataplatform.core.ConformanceDirectory;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The real upstream files the conformance tests read (pgSTAC SQL, CRDs, charts): they are not part of
 * the project and are never copied into it ({@code conformance/manifest} pins each by URL and sha256,
 * {@code conformance/fetch.sh} fetches them). Found as {@link ConformanceDirectory} finds them:
 * {@value #ENV}, else {@code shared/conformance} beside the repository, else fetch.sh's cache directory.
 * Absent files skip the test with a message naming fetch.sh on a developer machine and fail it under
 * {@code CI=true}. Call {@link #require} outside {@code assertThrows} (an assumption inside it is a
 * failure); in {@code @BeforeAll} it skips every test of the class, each reported as skipped
 * ({@link SkipEveryTestWhenSetUpIsSkipped}).
 */
public final class Conformance {
    public static final String ENV = ConformanceDirectory.ENV;

    private Conformance() {
    }

    /** The repository's root: tests run in a module directory (components/ or src/), one level below it. */
    public static Path repository() {
        Path module = Path.of("").toAbsolutePath();
        return Files.exists(module.resolve("Pulumi.yaml")) ? module : module.getParent();
    }

    /** The conformance directory, if one exists. */
    public static Optional<Path> dir() {
        return ConformanceDirectory.find(repository());
    }

    /**
     * A file or folder inside the conformance directory, e.g. {@code require("pgstac-0.9.11")}; skips the
     * test when it is missing, or fails it under {@code CI=true}.
     */
    public static Path require(String relative) {
        var dir = dir();
        String message = dir.isEmpty() ? ConformanceDirectory.notFound(repository(), System.getenv())
                : ConformanceDirectory.missing(dir.get(), relative);
        Path path = dir.map(d -> d.resolve(relative)).orElse(null);
        if (path == null || !Files.exists(path)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI must run the conformance tests: " + message);
            }
            Assumptions.abort(message);
        }
        return path;
    }
}
