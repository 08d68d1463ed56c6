package dev.dataplatform.backup;

import dev.dataplatform.testing.PostgresServer;

import static dev.dataplatform.testing.PostgresServer.ok;

/**
 * The logins of the drill tests on the throwaway server, shaped like Cloud SQL's (and RDS's, whose master user in
 * {@code rds_superuser} has the same shape): an admin that is not a superuser but a member of a NOLOGIN
 * {@code cloudsqlsuperuser} stand-in with CREATEROLE CREATEDB; the backup login, a member of
 * {@code pg_read_all_data} only; the drill login, LOGIN only, which owns nothing but the scratch databases the admin
 * path creates for it.
 */
final class DrillServer {
    static final String ADMIN = "cloudsql_admin";
    static final String BACKUP = "dp_backup";
    static final String DRILL = "dp_restore_drill";

    private DrillServer() {
    }

    static void logins(PostgresServer server) throws Exception {
        ok(server.sql("postgres", "postgres", "CREATE ROLE cloudsqlsuperuser NOLOGIN CREATEROLE CREATEDB"));
        ok(server.sql("postgres", "postgres", "CREATE ROLE " + ADMIN + " LOGIN CREATEROLE CREATEDB IN ROLE cloudsqlsuperuser"));
        ok(server.sql("postgres", "postgres", "CREATE ROLE " + BACKUP + " LOGIN IN ROLE pg_read_all_data"));
        ok(server.sql("postgres", "postgres", "CREATE ROLE " + DRILL + " LOGIN"));
    }

    /** The extensions the tests' scratch databases can have: pgSTAC's, which include the geo database's PostGIS. */
    static final java.util.List<String> EXTENSIONS = java.util.List.of("postgis", "btree_gist", "unaccent");

    /**
     * The scratch database as the admin path creates it: the admin made a member of the drill login (a GrantRole), the
     * postgresql provider's Database (owner: the drill login) run by the admin, then the source's extensions, installed by a login the
     * drill login is not. Creating an extension that is not trusted (PostGIS) is cloudsqlsuperuser's allow-listed
     * privilege on Cloud SQL and rds_superuser's on RDS; the superuser stands in for it here, once, in a template the
     * admin copies (CREATE EXTENSION postgis per database would take seconds each): the copy holds the same
     * extensions, owned by the same role, as Extension resources would leave.
     */
    static void scratch(PostgresServer server, String name, String... extensions) throws Exception {
        if (!EXTENSIONS.containsAll(java.util.List.of(extensions))) {
            throw new IllegalArgumentException("the test template has " + EXTENSIONS + " only");
        }
        // One template per server (each test class starts its own server).
        if (extensions.length > 0 && "0".equals(ok(server.sql("postgres", "postgres",
                "SELECT count(*) FROM pg_database WHERE datname = 'drill_extensions_template'")).out())) {
            ok(server.sql("postgres", "postgres", "CREATE DATABASE drill_extensions_template ENCODING 'UTF8' TEMPLATE template0"));
            for (String extension : EXTENSIONS) {
                ok(server.sql("postgres", "drill_extensions_template", "CREATE EXTENSION " + extension + " SCHEMA public"));
            }
            ok(server.sql("postgres", "postgres", "ALTER DATABASE drill_extensions_template IS_TEMPLATE true"));
        }
        ok(server.sql("postgres", "postgres", "DROP DATABASE IF EXISTS " + name));
        // The program's GrantRole <backup>-admin-in-<drill login> (the admin a member of the drill login, never the
        // reverse), then the provider's CREATE DATABASE ... OWNER as the admin.
        ok(server.sql(ADMIN, "postgres", "GRANT " + DRILL + " TO " + ADMIN));
        ok(server.sql(ADMIN, "postgres", "CREATE DATABASE " + name + " OWNER " + DRILL + " ENCODING 'UTF8' TEMPLATE "
                + (extensions.length > 0 ? "drill_extensions_template" : "template0")));
    }

    /** What the upload step records for a dump pg-dump.sh wrote (the manifest the fetch step downloads). */
    static void record(java.nio.file.Path backups, String database, String object, String version) throws Exception {
        java.nio.file.Path dir = backups.resolve(database);
        java.nio.file.Path dump;
        try (var files = java.nio.file.Files.list(dir)) {
            dump = files.filter(p -> p.toString().endsWith(".dump")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        String sum = java.nio.file.Files.exists(java.nio.file.Path.of(dump + ".sum"))
                ? java.nio.file.Files.readString(java.nio.file.Path.of(dump + ".sum")) : sum(dump);
        java.nio.file.Files.writeString(dir.resolve("manifest"), "database=" + database + "\nobject=" + object + "/" + database
                + "/" + dump.getFileName() + "\nversion=" + version + "\n" + sum);
    }

    static String sum(java.nio.file.Path file) throws Exception {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        var digest = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        return "sha256=" + java.util.HexFormat.of().formatHex(digest) + "\nbytes=" + bytes.length + "\n";
    }
}
