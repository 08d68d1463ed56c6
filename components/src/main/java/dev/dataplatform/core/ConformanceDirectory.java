package dev.dataplatform.core;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the third-party conformance files are (the real CRDs, chart schemas and pgSTAC SQL listed in
 * {@code conformance/manifest}): they are never part of the repository, {@code conformance/fetch.sh}
 * fetches them. Looked up in this order, the first existing directory wins:
 * <ol>
 *   <li>the directory named by {@value #ENV}, when it is set (then nothing else is tried);</li>
 *   <li>{@code shared/conformance} beside the repository ({@code ../shared/conformance} from its root);</li>
 *   <li>fetch.sh's default, {@code ${XDG_CACHE_HOME:-$HOME/.cache}/data-platform/conformance}.</li>
 * </ol>
 * {@code plan --schemas} without a directory and the tests use this same lookup.
 */
public final class ConformanceDirectory {
    public static final String ENV = "DATAPLATFORM_CONFORMANCE_DIR";
    /** The script that fills the default directory, relative to the repository root. */
    public static final String FETCH = "conformance/fetch.sh";

    private ConformanceDirectory() {
    }

    /** The directories tried, in order, for a repository whose root is {@code repository}. */
    public static List<Path> candidates(Path repository, Map<String, String> env) {
        var candidates = new ArrayList<Path>();
        String configured = env.get(ENV);
        if (configured != null && !configured.isEmpty()) {
            path(configured).ifPresent(candidates::add);
            return List.copyOf(candidates);
        }
        Path root = repository.toAbsolutePath().normalize();
        if (root.getParent() != null) {
            candidates.add(root.getParent().resolve("shared").resolve("conformance"));
        }
        cache(env).ifPresent(candidates::add);
        return List.copyOf(candidates);
    }

    /** fetch.sh's default directory: {@code ${XDG_CACHE_HOME:-$HOME/.cache}/data-platform/conformance}. */
    static Optional<Path> cache(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            return path(xdg).map(p -> p.resolve("data-platform").resolve("conformance"));
        }
        String home = env.get("HOME");
        if (home == null || home.isEmpty()) {
            home = System.getProperty("user.home");
        }
        return home == null || home.isEmpty() ? Optional.empty()
                : path(home).map(p -> p.resolve(".cache").resolve("data-platform").resolve("conformance"));
    }

    private static Optional<Path> path(String text) {
        try {
            return Optional.of(Path.of(text).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** The first candidate that is a directory, if any. */
    public static Optional<Path> find(Path repository, Map<String, String> env) {
        return candidates(repository, env).stream().filter(Files::isDirectory).findFirst();
    }

    /** The conformance directory for this process's environment. */
    public static Optional<Path> find(Path repository) {
        return find(repository, System.getenv());
    }

    /** One line: where the files were looked for and how to get them. */
    public static String notFound(Path repository, Map<String, String> env) {
        String where = candidates(repository, env).stream().map(Path::toString).collect(Collectors.joining(" or "));
        String configured = env.get(ENV);
        String how = configured != null && !configured.isEmpty() ? " (" + ENV + ")" : "";
        return "no conformance files in " + (where.isEmpty() ? "(no directory)" : where) + how + ": fetch them with "
                + "sh " + FETCH + " (see docs/testing.md)";
    }

    /** One line: a file missing from a conformance directory that exists, and how to get it. */
    public static String missing(Path directory, String relative) {
        return "conformance file " + relative + " not in " + directory + ": fetch it with sh " + FETCH
                + " (see docs/testing.md)";
    }
}
