package dev.dataplatform.access;

import dev.dataplatform.testing.Conformance;
import dev.dataplatform.testing.PostgresServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs pgSTAC's real migration files the way {@code pypgstac migrate} does (pypgstac migrate.py and db.py at
 * v0.9.11): connect as the given login, put {@code pgstac} first on the search_path unless it is there already,
 * read the installed version from {@code pgstac.migrations} (none on a new database), pick the full file or the
 * upgrade file, run it in ONE transaction, check the version, commit. The files are read from the conformance
 * directory, never copied.
 */
final class PgstacMigrationRun {
    /** What happened: "no-op" when the database was already at the version, else the files run. */
    record Outcome(String ran, PostgresServer.Result result) {
        boolean ok() {
            return result == null || result.ok();
        }

        String err() {
            return result == null ? "" : result.err();
        }
    }

    private PgstacMigrationRun() {
    }

    static Path file(String name) {
        return Conformance.require("pgstac-0.9.11/" + name);
    }

    /** The installed version, or null when pgSTAC is not installed (pypgstac catches UndefinedTable). */
    static String installedVersion(PostgresServer server, String login, String database) throws IOException, InterruptedException {
        var exists = server.sql(login, database, "SELECT to_regclass('pgstac.migrations') IS NOT NULL");
        if (exists.ok() && exists.out().equals("f")) {
            return null;
        }
        var result = server.sql(login, database, "SELECT version FROM pgstac.migrations ORDER BY datetime DESC, version DESC LIMIT 1");
        if (!result.ok()) {
            throw new IllegalStateException("cannot read the pgSTAC version as " + login + ": " + result.err());
        }
        return result.out().isEmpty() ? null : result.out();
    }

    static Outcome migrate(PostgresServer server, String login, String database, String toVersion)
            throws IOException, InterruptedException {
        var connect = server.sql(login, database, "SELECT 1");
        if (!connect.ok()) {
            return new Outcome("nothing: cannot connect", connect);
        }
        String from = installedVersion(server, login, database);
        if (toVersion.equals(from)) {
            return new Outcome("no-op", null);
        }
        String name = from == null ? "pgstac." + toVersion + ".sql" : "pgstac." + from + "-" + toVersion + ".sql";
        String script = "SELECT set_config('search_path', 'pgstac,' || current_setting('search_path', false), false)\n"
                + " WHERE current_setting('search_path', false) !~* '\\mpgstac\\M';\n"
                + "BEGIN;\n"
                + Files.readString(file(name))
                + "\n;\nDO $check$ BEGIN\n"
                + "  IF (SELECT version FROM pgstac.migrations ORDER BY datetime DESC, version DESC LIMIT 1) IS DISTINCT FROM '"
                + toVersion + "' THEN\n"
                + "    RAISE EXCEPTION 'Migration failed, database rolled back to previous state.';\n"
                + "  END IF;\n"
                + "END $check$;\n"
                + "COMMIT;\n";
        return new Outcome(name, server.script(login, database, script));
    }
}
