package dev.dataplatform.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the conformance files are looked for: the variable, beside the repository, fetch.sh's cache. */
class ConformanceDirectoryTest {

    @Test
    void theVariableWinsAndIsTheOnlyPlaceThenLooked(@TempDir Path tmp) throws IOException {
        Path repository = Files.createDirectories(tmp.resolve("work/data-platform"));
        Files.createDirectories(tmp.resolve("work/shared/conformance"));
        Path configured = tmp.resolve("elsewhere");
        var env = Map.of(ConformanceDirectory.ENV, configured.toString(), "HOME", tmp.resolve("home").toString());
        assertEquals(List.of(configured), ConformanceDirectory.candidates(repository, env));
        // Set but absent: not found, although shared/conformance exists beside the repository.
        assertEquals(Optional.empty(), ConformanceDirectory.find(repository, env));
        Files.createDirectories(configured);
        assertEquals(Optional.of(configured), ConformanceDirectory.find(repository, env));
        String message = ConformanceDirectory.notFound(repository, Map.of(ConformanceDirectory.ENV, tmp.resolve("none").toString()));
        assertEquals("no conformance files in " + tmp.resolve("none") + " (" + ConformanceDirectory.ENV + "): fetch them with "
                + "sh conformance/fetch.sh (see docs/testing.md)", message);
    }

    @Test
    void besideTheRepositoryComesBeforeTheCache(@TempDir Path tmp) throws IOException {
        Path repository = Files.createDirectories(tmp.resolve("work/data-platform"));
        Path home = tmp.resolve("home");
        var env = Map.of("HOME", home.toString());
        Path beside = tmp.resolve("work/shared/conformance");
        Path cache = home.resolve(".cache/data-platform/conformance");
        assertEquals(List.of(beside, cache), ConformanceDirectory.candidates(repository, env));
        assertEquals(Optional.empty(), ConformanceDirectory.find(repository, env));
        assertEquals("no conformance files in " + beside + " or " + cache + ": fetch them with sh conformance/fetch.sh "
                + "(see docs/testing.md)", ConformanceDirectory.notFound(repository, env));

        Files.createDirectories(cache);
        assertEquals(Optional.of(cache), ConformanceDirectory.find(repository, env));
        Files.createDirectories(beside);
        assertEquals(Optional.of(beside), ConformanceDirectory.find(repository, env));
        // A relative project directory (plan --cwd .) resolves against the working directory.
        assertTrue(ConformanceDirectory.candidates(Path.of("."), env).get(0).isAbsolute());
    }

    @Test
    void theCacheFollowsXdgCacheHomeAsFetchShDoes(@TempDir Path tmp) {
        Path repository = tmp.resolve("repo");
        var env = Map.of("HOME", tmp.resolve("home").toString(), "XDG_CACHE_HOME", tmp.resolve("xdg").toString());
        assertEquals(tmp.resolve("xdg/data-platform/conformance"), ConformanceDirectory.candidates(repository, env).get(1));
        // ${XDG_CACHE_HOME:-...}: empty counts as unset.
        var empty = Map.of("HOME", tmp.resolve("home").toString(), "XDG_CACHE_HOME", "");
        assertEquals(tmp.resolve("home/.cache/data-platform/conformance"), ConformanceDirectory.candidates(repository, empty).get(1));
        // So does an empty DATAPLATFORM_CONFORMANCE_DIR.
        var unset = Map.of(ConformanceDirectory.ENV, "", "HOME", tmp.resolve("home").toString());
        assertEquals(2, ConformanceDirectory.candidates(repository, unset).size());
    }
}
