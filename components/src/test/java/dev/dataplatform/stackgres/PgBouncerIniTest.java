package dev.dataplatform.stackgres;

import dev.dataplatform.core.Environment;
import dev.dataplatform.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tenant's PgBouncer settings on a real PgBouncer (Debian's {@code pgbouncer}) in front of the throwaway PostgreSQL:
 * the rendered {@code [pgbouncer]} section starts and pools connections; one unknown parameter makes PgBouncer refuse
 * to start, and {@link TenantPooling#parameter} refuses that name first. What StackGres itself writes (listen address,
 * auth) is stood in for by test values, as StackGres owns those parameters (its blocklist).
 */
class PgBouncerIniTest {
    static final Path PGBOUNCER = Path.of("/usr/sbin/pgbouncer");
    static PostgresServer postgres;
    static Path directory;

    @BeforeAll
    static void start() throws Exception {
        boolean missing = !Files.isExecutable(PGBOUNCER);
        if (missing && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must run the PgBouncer test: install pgbouncer (.ci/run does)");
        }
        Assumptions.assumeFalse(missing, "skipped: PgBouncer not found (" + PGBOUNCER + "): apt-get install pgbouncer");
        postgres = PostgresServer.startOrSkip();
        PostgresServer.ok(postgres.sql("postgres", "postgres", "CREATE DATABASE app"));
        directory = Files.createTempDirectory("pgbouncer-");
        // PgBouncer runs as user postgres when the tests run as root: it writes its log and pid file here (not umask-bound).
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** pgbouncer.ini with the tenant's [pgbouncer] settings and test stand-ins for what StackGres writes. */
    static String ini(Map<String, String> tenantSettings, int port) {
        var ini = new StringBuilder("[databases]\napp = host=127.0.0.1 port=" + postgres.port() + " dbname=app\n\n[pgbouncer]\n");
        var all = new TreeMap<>(tenantSettings);
        // StackGres's own parameters (its blocklist), here for a loopback test.
        all.put("listen_addr", "127.0.0.1");
        all.put("listen_port", String.valueOf(port));
        all.put("auth_type", "trust");
        all.put("admin_users", "postgres");
        all.put("auth_file", directory.resolve("userlist.txt").toString());
        all.put("unix_socket_dir", "");
        all.put("logfile", directory.resolve("pgbouncer-" + port + ".log").toString());
        all.put("pidfile", directory.resolve("pgbouncer-" + port + ".pid").toString());
        all.forEach((k, v) -> ini.append(k).append(" = ").append(v).append('\n'));
        return ini.toString();
    }

    record Run(Process process, Path log) {
    }

    static Run pgbouncer(String ini, int port) throws IOException {
        Path file = directory.resolve("pgbouncer-" + port + ".ini");
        Files.writeString(file, ini);
        Files.writeString(directory.resolve("userlist.txt"), "\"postgres\" \"\"\n");
        var command = new ArrayList<String>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "postgres", "--")); // PgBouncer refuses to run as root
        }
        command.addAll(List.of(PGBOUNCER.toString(), file.toString()));
        Path log = directory.resolve("pgbouncer-" + port + ".out");
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Run(process, log);
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String psql(int port, String database, String sql) throws Exception {
        var process = new ProcessBuilder("/usr/bin/psql", "-X", "-q", "-t", "-A", "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-U", "postgres", "-d", database, "-c", sql).redirectErrorStream(true).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()
                + (process.exitValue() == 0 ? "" : " (exit " + process.exitValue() + ")");
    }

    static String waitForConnection(int port, Run run) throws Exception {
        String last = "";
        for (int i = 0; i < 50 && run.process().isAlive(); i++) {
            last = psql(port, "app", "SELECT current_database()");
            if (last.equals("app")) {
                return last;
            }
            Thread.sleep(100);
        }
        return last + " " + Files.readString(run.log());
    }

    @Test
    void aTenantsRenderedSettingsStartPgBouncerAndPoolConnections() throws Exception {
        var overrides = new TenantPooling.Overrides(TenantPooling.PoolMode.TRANSACTION, null, null, null,
                Map.of("server_idle_timeout", "600", "ignore_startup_parameters", "extra_float_digits", "query_wait_timeout", "120"));
        overrides.parameters().forEach((k, v) -> assertEquals(java.util.Optional.empty(), TenantPooling.parameter(k, v), k));
        var settings = TenantPooling.settings(Environment.PROD, null, overrides).pgbouncerIni();
        int port = freePort();
        var run = pgbouncer(ini(settings, port), port);
        try {
            assertEquals("app", waitForConnection(port, run));
            // The admin console shows what PgBouncer took from the tenant's settings.
            Map<String, String> config = new TreeMap<>();
            String shown = psql(port, "pgbouncer", "SHOW CONFIG");
            assertTrue(shown.contains("pool_mode|"), shown);
            for (String line : shown.split("\n")) {
                var cells = line.split("\\|", -1);
                if (cells.length >= 2) {
                    config.put(cells[0], cells[1]);
                }
            }
            assertEquals("transaction", config.get("pool_mode"));
            assertEquals(String.valueOf(TenantPooling.MAX_SERVER_CONNECTIONS), config.get("default_pool_size"));
            assertEquals(String.valueOf(TenantPooling.MAX_SERVER_CONNECTIONS), config.get("max_db_connections"));
            assertEquals("1000", config.get("max_client_conn"));
            assertEquals("600", config.get("server_idle_timeout"));
            // Every parameter this PgBouncer knows is known to the list for the version StackGres ships (1.25.1 only
            // adds parameters), so nothing the real one accepts is refused by config for being unknown.
            var unknownToList = new TreeSet<>(config.keySet());
            unknownToList.removeAll(TenantPooling.PGBOUNCER_PARAMETERS);
            assertEquals(Set.of(), unknownToList, "installed PgBouncer: " + psql(port, "pgbouncer", "SHOW VERSION"));
        } finally {
            run.process().destroy();
            run.process().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnknownParameterStopsTheRealPgBouncerAndConfigRefusesItFirst() throws Exception {
        String typo = "server_idle_timout";
        assertTrue(TenantPooling.parameter(typo, "600").orElseThrow().contains("did you mean 'server_idle_timeout'"));
        var settings = new TreeMap<>(TenantPooling.settings(Environment.DEV, null, TenantPooling.Overrides.NONE).pgbouncerIni());
        settings.put(typo, "600");
        int port = freePort();
        var run = pgbouncer(ini(settings, port), port);
        assertTrue(run.process().waitFor(30, TimeUnit.SECONDS), "PgBouncer kept running with an unknown parameter");
        assertFalse(run.process().exitValue() == 0);
        String log = Files.readString(run.log()) + (Files.exists(directory.resolve("pgbouncer-" + port + ".log"))
                ? Files.readString(directory.resolve("pgbouncer-" + port + ".log")) : "");
        assertTrue(log.contains("unknown parameter: pgbouncer/" + typo), log);
    }
}
