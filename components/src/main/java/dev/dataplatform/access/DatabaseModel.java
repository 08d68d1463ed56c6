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

    public DatabaseModel {
        Names.requireIdentifier(name, "database name");
        if (name.startsWith("pg_") || List.of("postgres", "template0", "template1").contains(name)) {
            throw new IllegalArgumentException("database name '" + name + "' is reserved");
        }
        schemas = distinct(schemas, "schema", name);
        extensions = distinct(extensions, "extension", name);
        logins = List.copyOf(logins == null ? List.of() : logins);
        var seen = new HashSet<String>();
        for (Login login : logins) {
            if (!seen.add(login.name())) {
                throw new IllegalArgumentException("database '" + name + "': login '" + login.name() + "' is listed twice");
            }
            // Fields are not assigned yet in a compact constructor: derive the role names from the parameter.
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

    /** pgSTAC role → the group role that is granted it. */
    public List<Membership> pgstacMemberships() {
        if (!pgstac) {
            return List.of();
        }
        return List.of(new Membership(ownerRole(), "pgstac_admin"),
                new Membership(writerRole(), "pgstac_ingest"),
                new Membership(readerRole(), "pgstac_read"));
    }

    /** {@code member} is granted {@code role}. */
    public record Membership(String member, String role) {
    }
}
