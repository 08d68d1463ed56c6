package dev.dataplatform.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL 15 for tests: a copy of one initdb per JVM in a temporary directory, started on a free loopback
 * port with trust authentication (roles log in by name, so tests prove privileges, not passwords),
 * run as a non-root user (the {@code postgres} system user when the tests run as root).
 * Statements go through psql, the same client that runs the access script.
 */
public final class PostgresServer implements AutoCloseable {
    static final Path BIN = Path.of(System.getProperty("dataplatform.pgbin", "/usr/lib/postgresql/15/bin"));

    private final Path directory;
    private final int port;
    private final boolean asPostgresUser;

    /** The binaries, or why the tests cannot run (they are then skipped with this message). */
    public static Optional<String> unavailable() {
        for (String tool : List.of("initdb", "pg_ctl", "postgres", "psql")) {
            Path path = tool.equals("psql") ? psql() : BIN.resolve(tool);
            if (!Files.isExecutable(path)) {
                return Optional.of("PostgreSQL 15 binaries not found (" + path + "): install postgresql-15 and "
                        + "postgresql-15-postgis-3 (.ci/run does)");
            }
        }
        if (!Files.exists(Path.of("/usr/share/postgresql/15/extension/postgis.control"))) {
            return Optional.of("PostGIS for PostgreSQL 15 not found: install postgresql-15-postgis-3 (.ci/run does)");
        }
        return Optional.empty();
    }

    private static Path psql() {
        Path own = BIN.resolve("psql");
        return Files.isExecutable(own) ? own : Path.of("/usr/bin/psql");
    }

    private PostgresServer(Path directory, int port, boolean asPostgresUser) {
        this.directory = directory;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * Starts a server, or skips the calling tests with the reason when the binaries are missing; under
     * {@code CI=true} a missing binary is a failure instead (CI must run the PostgreSQL tests).
     */
    public static PostgresServer startOrSkip() throws IOException, InterruptedException {
        var missing = unavailable();
        if (missing.isPresent() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must run the PostgreSQL tests: " + missing.get());
        }
        if (missing.isPresent()) {
            org.junit.jupiter.api.Assumptions.abort(missing.get());
        }
        return start();
    }

    /** A statement's result, asserted successful (the tests' way of running setup SQL). */
    public static Result ok(Result result) {
        org.junit.jupiter.api.Assertions.assertTrue(result.ok(), "expected success, got: " + result.err());
        return result;
    }

    public static PostgresServer start() throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path directory = Files.createTempDirectory("pg15-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        int port;
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var server = new PostgresServer(directory, port, root);
        if (root) {
            server.exec(List.of("chown", "postgres:postgres", directory.toString()), false);
        }
        Path data = directory.resolve("data");
        server.run(List.of("cp", "-a", template(root).toString(), data.toString()));
        server.run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", directory.resolve("log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
        return server;
    }

    private static Path template;

    /**
     * One initdb per JVM: every server starts from a copy of this data directory (a copy takes a fraction of
     * an initdb, and a test JVM starts a dozen servers). Removed when the JVM exits.
     */
    private static synchronized Path template(boolean root) throws IOException, InterruptedException {
        if (template == null) {
            Path directory = Files.createTempDirectory("pg15-template-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
            var initdb = new PostgresServer(directory, 0, root);
            if (root) {
                initdb.exec(List.of("chown", "postgres:postgres", directory.toString()), false);
            }
            Path data = directory.resolve("data");
            initdb.run(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
                    "--encoding=UTF8", "--locale=C", "--no-sync"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> paths = Files.walk(directory)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // a temporary directory left behind
                }
            }));
            template = data;
        }
        return template;
    }

    public int port() {
        return port;
    }

    /** The result of one psql run. */
    public record Result(int exitCode, String out, String err) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs SQL as {@code role} in {@code database}; stops at the first error. */
    public Result sql(String role, String database, String sql) throws IOException, InterruptedException {
        return psql(role, database, List.of("-c", sql), null);
    }

    /** Runs SQL with data on standard input (COPY ... FROM STDIN). */
    public Result sql(String role, String database, String sql, String stdin) throws IOException, InterruptedException {
        Path file = Files.createTempFile(directory, "stdin", ".txt");
        Files.writeString(file, stdin);
        return psql(role, database, List.of("-c", sql), file);
    }

    /** Runs a script file, as psql -f. */
    public Result script(String role, String database, String script) throws IOException, InterruptedException {
        Path file = Files.createTempFile(directory, "script", ".sql");
        Files.writeString(file, script);
        return psql(role, database, List.of("-f", file.toString()), null);
    }

    private Result psql(String role, String database, List<String> args, Path stdin) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(psql().toString(), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", role, "-d", database));
        command.addAll(args);
        return exec(command, false, stdin);
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        var result = exec(command, asPostgresUser);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.exitCode() + "): "
                    + result.err() + result.out() + log());
        }
    }

    private Result exec(List<String> command, boolean switchUser) throws IOException, InterruptedException {
        return exec(command, switchUser, null);
    }

    private Result exec(List<String> command, boolean switchUser, Path stdin) throws IOException, InterruptedException {
        var full = new ArrayList<String>();
        if (switchUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path out = Files.createTempFile("pg-out", ".txt");
        Path err = Files.createTempFile("pg-err", ".txt");
        try {
            var builder = new ProcessBuilder(full).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("PGCONNECT_TIMEOUT", "10");
            if (stdin != null) {
                builder.redirectInput(stdin.toFile());
            }
            var process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", full));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
                    Files.readString(err, StandardCharsets.UTF_8).strip());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private String log() {
        try {
            Path log = directory.resolve("log");
            return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            exec(List.of(BIN.resolve("pg_ctl").toString(), "-D", directory.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"), asPostgresUser);
        } finally {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
