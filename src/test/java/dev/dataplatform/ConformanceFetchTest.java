package dev.dataplatform;

import com.sun.net.httpserver.HttpServer;
import dev.dataplatform.core.ConformanceDirectory;
import dev.dataplatform.testing.Conformance;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conformance/fetch.sh, run with {@code /bin/sh} over a small manifest of its own (the script reads the
 * manifest beside it) and a mirror in a temporary directory: it fills the directory, verifies each sha256,
 * refuses a tampered file by name without keeping it, and a second run downloads nothing. And the committed
 * manifest: well formed, pinned to commits, and (with the conformance files at hand) matching them exactly.
 */
class ConformanceFetchTest {
    static final Path ROOT = Path.of("..");
    static final Path SCRIPT = ROOT.resolve("conformance/fetch.sh");
    static final Path MANIFEST = ROOT.resolve("conformance/manifest");

    record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** fetch.sh with only the given variables of its own (the caller's conformance and cache variables removed). */
    static Run fetch(Path script, Map<String, String> env) throws IOException, InterruptedException {
        var builder = new ProcessBuilder("/bin/sh", script.toString());
        for (String name : List.of(ConformanceDirectory.ENV, "DATAPLATFORM_CONFORMANCE_MIRROR", "XDG_CACHE_HOME")) {
            builder.environment().remove(name);
        }
        builder.environment().putAll(env);
        Path out = Files.createTempFile("fetch", ".out");
        Path err = Files.createTempFile("fetch", ".err");
        var process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "fetch.sh did not finish in 60 s");
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A copy of fetch.sh beside a manifest of {@code files} (path -> content) served from {@code upstream}. */
    static Path project(Path dir, Map<String, String> files, Path upstream, String derived) throws IOException {
        Path script = Files.createDirectories(dir.resolve("conformance")).resolve("fetch.sh");
        Files.copy(SCRIPT, script);
        var manifest = new StringBuilder("# a test manifest\n\n");
        for (var file : files.entrySet()) {
            byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
            String url = file.getKey().equals(derived) ? "derived:https://example.com/source-of/" + file.getKey()
                    : upstream.resolve(file.getKey()).toUri().toString();
            manifest.append(file.getKey()).append("  ").append(url).append("  ").append(sha256(bytes)).append('\n');
            Path at = upstream.resolve(file.getKey());
            Files.createDirectories(at.getParent());
            Files.write(at, bytes);
        }
        Files.writeString(script.resolveSibling("manifest"), manifest);
        return script;
    }

    static Map<String, String> files() {
        var files = new LinkedHashMap<String, String>();
        files.put("crds/kind-1.0/one.yaml", "kind: CustomResourceDefinition\n");
        files.put("charts/chart-2.0/values.schema.json", "{\"type\": \"object\"}\n");
        files.put("charts/made-here.tgz", "not really an archive\n");
        return files;
    }

    static List<Path> partFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.getFileName().toString().contains(".part")).toList();
        }
    }

    @Test
    void aMirrorFillsTheDirectoryASecondRunDownloadsNothingAndATamperedFileIsRefusedByName(@TempDir Path tmp) throws Exception {
        var files = files();
        Path mirror = tmp.resolve("mirror");
        Path script = project(tmp.resolve("repo"), files, mirror, "charts/made-here.tgz");
        Path target = tmp.resolve("cache");
        var env = Map.of(ConformanceDirectory.ENV, target.toString(), "DATAPLATFORM_CONFORMANCE_MIRROR", mirror.toUri().toString());

        var first = fetch(script, env);
        assertEquals(0, first.code(), first.all());
        for (var file : files.entrySet()) {
            assertEquals(file.getValue(), Files.readString(target.resolve(file.getKey())));
            assertTrue(first.out().contains("fetched " + file.getKey()), first.out());
        }
        assertTrue(first.out().contains("3 fetched, 0 already present and verified"), first.out());

        // Idempotent: with the mirror gone, the second run verifies what is there and downloads nothing.
        var modified = Files.getLastModifiedTime(target.resolve("crds/kind-1.0/one.yaml"));
        Files.move(mirror, tmp.resolve("mirror-away"));
        var second = fetch(script, env);
        assertEquals(0, second.code(), second.all());
        assertTrue(second.out().contains("0 fetched, 3 already present and verified, 0 not available without a mirror, 0 failed"),
                second.out());
        assertFalse(second.out().contains("  fetched "), second.out());
        assertEquals(modified, Files.getLastModifiedTime(target.resolve("crds/kind-1.0/one.yaml")));
        Files.move(tmp.resolve("mirror-away"), mirror);

        // A tampered mirror file is refused by name, exit 1, and not left in the directory; the others stay.
        Files.writeString(mirror.resolve("charts/chart-2.0/values.schema.json"), "{\"type\": \"string\"}\n");
        Files.delete(target.resolve("charts/chart-2.0/values.schema.json"));
        var tampered = fetch(script, env);
        assertEquals(1, tampered.code(), tampered.all());
        assertTrue(tampered.err().contains("error: charts/chart-2.0/values.schema.json: refused: sha256 "), tampered.err());
        assertFalse(Files.exists(target.resolve("charts/chart-2.0/values.schema.json")));
        assertEquals(List.of(), partFiles(target));
        assertTrue(tampered.out().contains("0 fetched, 2 already present and verified, 0 not available without a mirror, 1 failed"),
                tampered.out());

        // A changed copy in the directory is not trusted: it is fetched again (and refused again while the mirror is bad).
        Files.writeString(target.resolve("crds/kind-1.0/one.yaml"), "kind: Changed\n");
        var changed = fetch(script, env);
        assertEquals(1, changed.code(), changed.all());
        assertTrue(changed.out().contains("crds/kind-1.0/one.yaml: the copy in " + target + " does not match its sha256"),
                changed.out());
        assertEquals(files.get("crds/kind-1.0/one.yaml"), Files.readString(target.resolve("crds/kind-1.0/one.yaml")));
    }

    @Test
    void withoutAMirrorTheManifestUrlsAreUsedAndDerivedFilesAreLeftToAMirror(@TempDir Path tmp) throws Exception {
        var files = files();
        Path script = project(tmp.resolve("repo"), files, tmp.resolve("upstream"), "charts/made-here.tgz");
        // The default directory: ${XDG_CACHE_HOME:-$HOME/.cache}/data-platform/conformance, as the lookup has it.
        Path home = tmp.resolve("home");
        var run = fetch(script, Map.of("HOME", home.toString()));
        assertEquals(0, run.code(), run.all());
        Path cache = home.resolve(".cache/data-platform/conformance");
        assertEquals(cache, ConformanceDirectory.candidates(tmp.resolve("repo"), Map.of("HOME", home.toString())).get(1));
        assertEquals(files.get("crds/kind-1.0/one.yaml"), Files.readString(cache.resolve("crds/kind-1.0/one.yaml")));
        assertFalse(Files.exists(cache.resolve("charts/made-here.tgz")));
        assertTrue(run.out().contains("charts/made-here.tgz: not fetched: made for this project from https://example.com/"
                + "source-of/charts/made-here.tgz, so only a mirror has it"), run.out());
        assertTrue(run.out().contains("2 fetched, 0 already present and verified, 1 not available without a mirror, 0 failed"),
                run.out());

        Path xdg = tmp.resolve("xdg");
        var withXdg = fetch(script, Map.of("HOME", home.toString(), "XDG_CACHE_HOME", xdg.toString()));
        assertEquals(0, withXdg.code(), withXdg.all());
        assertTrue(Files.exists(xdg.resolve("data-platform/conformance/crds/kind-1.0/one.yaml")));
        assertEquals(xdg.resolve("data-platform/conformance"), ConformanceDirectory.candidates(tmp.resolve("repo"),
                Map.of("HOME", home.toString(), "XDG_CACHE_HOME", xdg.toString())).get(1));

        // A URL that cannot be read is named, exit 1.
        Files.delete(tmp.resolve("upstream/charts/chart-2.0/values.schema.json"));
        var missing = fetch(script, Map.of(ConformanceDirectory.ENV, tmp.resolve("other").toString()));
        assertEquals(1, missing.code(), missing.all());
        assertTrue(missing.err().contains("error: charts/chart-2.0/values.schema.json: cannot download file:"), missing.err());
    }

    @Test
    void anHttpMirrorIsFetchedWithCurlOrWget(@TempDir Path tmp) throws Exception {
        var files = files();
        Path mirror = tmp.resolve("mirror");
        Path script = project(tmp.resolve("repo"), files, mirror, null);
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Path file = mirror.resolve(exchange.getRequestURI().getPath().substring("/mirror/".length())).normalize();
            byte[] body = file.startsWith(mirror) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/mirror/";
            var tools = new ArrayList<String>();
            for (String tool : List.of("curl", "wget")) {
                if (Files.isExecutable(Path.of("/usr/bin", tool))) {
                    tools.add(tool);
                }
            }
            Assumptions.assumeFalse(tools.isEmpty(), "neither curl nor wget is installed");
            for (String tool : tools) {
                // A PATH holding only what fetch.sh needs, with this one download tool.
                Path bin = Files.createDirectories(tmp.resolve("bin-" + tool));
                for (String needed : List.of(tool, "cp", "mv", "rm", "mkdir", "dirname", "cut", "sha256sum")) {
                    Path real = Stream.of("/usr/bin", "/bin").map(d -> Path.of(d, needed)).filter(Files::isExecutable)
                            .findFirst().orElseThrow(() -> new AssertionError("no " + needed));
                    Files.createSymbolicLink(bin.resolve(needed), real);
                }
                Path target = tmp.resolve("cache-" + tool);
                var env = Map.of("PATH", bin.toString(), ConformanceDirectory.ENV, target.toString(),
                        "DATAPLATFORM_CONFORMANCE_MIRROR", base);
                var run = fetch(script, env);
                assertEquals(0, run.code(), tool + ": " + run.all());
                assertEquals(files.get("charts/made-here.tgz"), Files.readString(target.resolve("charts/made-here.tgz")), tool);

                Files.writeString(mirror.resolve("crds/kind-1.0/one.yaml"), "kind: Tampered\n");
                Files.delete(target.resolve("crds/kind-1.0/one.yaml"));
                var tampered = fetch(script, env);
                assertEquals(1, tampered.code(), tool + ": " + tampered.all());
                assertTrue(tampered.err().contains("error: crds/kind-1.0/one.yaml: refused"), tool + ": " + tampered.err());
                assertFalse(Files.exists(target.resolve("crds/kind-1.0/one.yaml")), tool);
                Files.writeString(mirror.resolve("crds/kind-1.0/one.yaml"), files.get("crds/kind-1.0/one.yaml"));
            }
        } finally {
            server.stop(0);
        }
    }

    static final Pattern ENTRY = Pattern.compile(
            "([A-Za-z0-9._/-]+)  ((?:derived:)?https://(?:raw\\.githubusercontent\\.com|github\\.com)/[^ ]+)  ([0-9a-f]{64})");
    static final Pattern PINNED = Pattern.compile("/[0-9a-f]{40}/");

    /** path -> sha256 of every entry of the committed manifest. */
    static Map<String, String> manifest() throws IOException {
        var entries = new LinkedHashMap<String, String>();
        for (String line : Files.readAllLines(MANIFEST)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            var m = ENTRY.matcher(line);
            assertTrue(m.matches(), "not <path>  <url>  <sha256>: " + line);
            assertTrue(PINNED.matcher(m.group(2)).find(), "not pinned to a commit: " + line);
            assertFalse(m.group(1).startsWith("/") || m.group(1).contains(".."), line);
            assertEquals(null, entries.put(m.group(1), m.group(3)), "listed twice: " + m.group(1));
        }
        return entries;
    }

    @Test
    void theManifestPinsEachFileByCommitAndSha256() throws IOException {
        var entries = manifest();
        assertTrue(entries.keySet().containsAll(List.of("pgstac-0.9.11/pgstac.0.9.11.sql", "crds/stackgres-1.18.6/SGCluster.yaml",
                "charts/opentelemetry-collector-0.170.0/values.schema.json", "charts/dagster-1.13-master.tgz",
                "charts/kubernetes-json-schema/_definitions.json")), entries.keySet().toString());
    }

    @Test
    void theManifestListsExactlyTheConformanceFilesWithTheirSha256() throws IOException {
        Path dir = Conformance.require("crds").getParent();
        var entries = manifest();
        var present = new TreeSet<String>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).filter(p -> !p.equals("SOURCES.md"))
                    .forEach(present::add);
        }
        assertEquals(new TreeSet<>(entries.keySet()), present);
        var wrong = new ArrayList<String>();
        for (var entry : entries.entrySet()) {
            if (!sha256(Files.readAllBytes(dir.resolve(entry.getKey()))).equals(entry.getValue())) {
                wrong.add(entry.getKey());
            }
        }
        assertEquals(List.of(), wrong, "sha256 differs from the manifest");
    }
}
