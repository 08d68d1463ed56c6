package dev.dataplatform.access;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One database and who may do what in it.
 *
 * @param name       the database name
 * @param schemas    schemas owned by the owner role; {@code public} is always managed too
 * @param extensions extensions to create (in schema public), e.g. postgis
 * @param pgstac     a STAC catalog database: adds postgis, btree_gist and unaccent, and pre-creates
 *                   the roles pgstac_admin, pgstac_ingest and pgstac_read that `pypgstac migrate` uses
 * @param logins     login roles and their access
 */
public record DatabaseModel(String name, List<String> schemas, List<String> extensions, boolean pgstac, List<Login> logins) {
    /** Extensions pgSTAC needs; pgSTAC itself is installed by `pypgstac migrate`, not as an extension. */
    public static final List<String> PGSTAC_EXTENSIONS = List.of("postgis", "btree_gist", "unaccent");
    /** The roles pgSTAC's migrations grant to, and which group role holds each. */
    public static final List<String> PGSTAC_ROLES = List.of("pgstac_admin", "pgstac_ingest", "pgstac_read");
    /** The schema pgSTAC's migration creates (AUTHORIZATION pgstac_admin). */
    public static final String PGSTAC_SCHEMA = "pgstac";
    /**
     * The database's default search_path for pgSTAC databases: pgSTAC's functions and its own role settings
     * expect {@code pgstac, public} (pgstac.0.9.11.sql sets it for its three roles only, and role settings are
     * not inherited by member logins).
     */
    public static final String PGSTAC_SEARCH_PATH = "pgstac, public";
    /**
     * The pgSTAC roles the migrator must already be a member of when its session starts: the migration runs
     * SET ROLE pgstac_ingest; and through pgstac_admin the migrator sees schema public (USAGE) from the start.
     * The migration's own GRANT pgstac_admin TO current_user comes too late for that: PostgreSQL 15 keeps the
     * session's computed search_path when only a role membership changes.
     */
    public static final List<String> PGSTAC_MIGRATOR_ROLES = List.of("pgstac_admin", "pgstac_ingest");

    public DatabaseModel {
        Names.requireIdentifier(name, "database name");
        if (name.startsWith("pg_") || List.of("postgres", "template0", "template1").contains(name)) {
            throw new IllegalArgumentException("database name '" + name + "' is reserved");
        }
        Names.databaseProblem(name).ifPresent(problem -> {
            throw new IllegalArgumentException("database name '" + name + "' " + problem);
        });
        schemas = distinct(schemas, "schema", name);
        if (pgstac && schemas.contains(PGSTAC_SCHEMA)) {
            throw new IllegalArgumentException("database '" + name + "': schema '" + PGSTAC_SCHEMA
                    + "' belongs to pgSTAC (its migration creates it, owned by pgstac_admin); list only your own schemas");
        }
        extensions = distinct(extensions, "extension", name);
        logins = List.copyOf(logins == null ? List.of() : logins);
        var seen = new HashSet<String>();
        for (Login login : logins) {
            if (!seen.add(login.name())) {
                throw new IllegalArgumentException("database '" + name + "': login '" + login.name() + "' is listed twice");
            }
            // Fields are not assigned yet in a compact constructor: derive the role names from the parameter.
            if (login.access() == Access.MIGRATOR && !pgstac) {
                throw new IllegalArgumentException("database '" + name + "': login '" + login.name()
                        + "' has access MIGRATOR, which only a pgstac database has (its pgSTAC migration)");
            }
            if (groupRolesOf(name).contains(login.name())
                    || PGSTAC_ROLES.contains(login.name())) {
                throw new IllegalArgumentException("database '" + name + "': login '" + login.name()
                        + "' clashes with a group role of the model");
            }
        }
    }

    private static List<String> distinct(List<String> values, String what, String database) {
        var result = new LinkedHashSet<String>();
        for (String value : values == null ? List.<String>of() : values) {
            Names.requireIdentifier(value, "database '" + database + "': " + what);
            if (!result.add(value)) {
                throw new IllegalArgumentException("database '" + database + "': " + what + " '" + value + "' is listed twice");
            }
        }
        return List.copyOf(result);
    }

    private static List<String> groupRolesOf(String database) {
        return List.of(database + "_owner", database + "_writer", database + "_reader");
    }

    public String ownerRole() {
        return name + "_owner";
    }

    public String writerRole() {
        return name + "_writer";
    }

    public String readerRole() {
        return name + "_reader";
    }

    public List<String> groupRoles() {
        return groupRolesOf(name);
    }

    public String groupRole(Access access) {
        return switch (access) {
            case OWNER -> ownerRole();
            case WRITER -> writerRole();
            case READER -> readerRole();
            case MIGRATOR -> throw new IllegalArgumentException("a migrator is a member of the pgSTAC roles, not of a group role of "
                    + name);
        };
    }

    /** public first, then the configured schemas. */
    public List<String> allSchemas() {
        var all = new ArrayList<String>();
        all.add("public");
        schemas.stream().filter(s -> !s.equals("public")).forEach(all::add);
        return all;
    }

    /** Configured extensions plus those pgSTAC needs, without repeats. */
    public List<String> allExtensions() {
        Set<String> all = new LinkedHashSet<>(extensions);
        if (pgstac) {
            all.addAll(PGSTAC_EXTENSIONS);
        }
        return List.copyOf(all);
    }

    /** Logins with {@link Access#MIGRATOR}. */
    public List<String> migrators() {
        return logins.stream().filter(l -> l.access() == Access.MIGRATOR).map(Login::name).toList();
    }

    /** pgSTAC role → the group role (or migrator login) that is granted it. */
    public List<Membership> pgstacMemberships() {
        if (!pgstac) {
            return List.of();
        }
        var result = new ArrayList<>(List.of(new Membership(ownerRole(), "pgstac_admin"),
                new Membership(writerRole(), "pgstac_ingest"),
                new Membership(readerRole(), "pgstac_read")));
        for (String migrator : migrators()) {
            PGSTAC_MIGRATOR_ROLES.forEach(role -> result.add(new Membership(migrator, role)));
        }
        return List.copyOf(result);
    }

    /** {@code member} is granted {@code role}. */
    public record Membership(String member, String role) {
    }
}
