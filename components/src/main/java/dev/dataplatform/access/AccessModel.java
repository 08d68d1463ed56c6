package dev.dataplatform.access;

import dev.dataplatform.access.PrivilegeGrant.ObjectType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.dataplatform.access.PrivilegeGrant.PUBLIC;
import static dev.dataplatform.access.PrivilegeGrant.defaults;
import static dev.dataplatform.access.PrivilegeGrant.grant;

/**
 * Least privilege inside every database of one PostgreSQL server. Per database: a NOLOGIN owner
 * role that owns the database and its schemas (migrations, extensions), a writer role (DML, no
 * DDL), a reader role (SELECT only), named logins that are members of one of them, and default
 * privileges so tables the owner creates later are readable by the reader and writable by the
 * writer. PUBLIC keeps nothing: no CONNECT on the database, no CREATE (or USAGE) on schema public.
 *
 * <p>Renderers: {@link SqlScript} (one idempotent psql script) and
 * {@link PostgresAccess} (pulumi-postgresql resources). Both render {@link #privileges()}.
 */
public record AccessModel(List<DatabaseModel> databases) {
    static final String[] WRITER_TABLE = {"SELECT", "INSERT", "UPDATE", "DELETE"};
    static final String[] WRITER_SEQUENCE = {"SELECT", "USAGE"};
    /** What pgSTAC's migration needs on its database, proven by PgstacConformancePostgresTest. */
    static final String[] MIGRATOR_DATABASE = {"CONNECT", "CREATE"};

    public AccessModel {
        databases = List.copyOf(databases);
        var names = new HashSet<String>();
        var groupRoles = new HashSet<String>();
        for (DatabaseModel database : databases) {
            if (!names.add(database.name())) {
                throw new IllegalArgumentException("database '" + database.name() + "' is listed twice");
            }
            groupRoles.addAll(database.groupRoles());
        }
        var migrators = new HashSet<String>();
        databases.forEach(db -> migrators.addAll(db.migrators()));
        for (DatabaseModel database : databases) {
            for (Login login : database.logins()) {
                if (migrators.contains(login.name()) && (login.access() == Access.WRITER || login.access() == Access.READER)) {
                    throw new IllegalArgumentException("login '" + login.name() + "' migrates pgSTAC and cannot also have "
                            + login.access().name().toLowerCase(java.util.Locale.ROOT) + " access (database '"
                            + database.name() + "'): use separate logins for the migrator and the workloads");
                }
                if (groupRoles.contains(login.name())) {
                    throw new IllegalArgumentException("login '" + login.name() + "' clashes with a group role of the model");
                }
            }
        }
    }

    public static AccessModel of(DatabaseModel... databases) {
        return new AccessModel(List.of(databases));
    }

    /** Every grant and default privilege the model implies, in a stable order. */
    public List<PrivilegeGrant> privileges() {
        var result = new ArrayList<PrivilegeGrant>();
        for (DatabaseModel db : databases) {
            String d = db.name();
            result.add(grant(d, null, ObjectType.DATABASE, PUBLIC));
            if (db.pgstac()) {
                // pgSTAC's create_item and xyzsearch create TEMPORARY tables.
                result.add(grant(d, null, ObjectType.DATABASE, db.writerRole(), "CONNECT", "TEMPORARY"));
                result.add(grant(d, null, ObjectType.DATABASE, db.readerRole(), "CONNECT", "TEMPORARY"));
                // The migration creates schema pgstac (CREATE on the database).
                for (String migrator : db.migrators()) {
                    result.add(grant(d, null, ObjectType.DATABASE, migrator, MIGRATOR_DATABASE));
                }
            } else {
                result.add(grant(d, null, ObjectType.DATABASE, db.writerRole(), "CONNECT"));
                result.add(grant(d, null, ObjectType.DATABASE, db.readerRole(), "CONNECT"));
            }
            result.add(grant(d, "public", ObjectType.SCHEMA, PUBLIC));
            if (db.pgstac()) {
                // pgstac_admin creates pgSTAC's objects after SET ROLE: it must see PostGIS's types in public.
                // (pgstac_ingest and pgstac_read reach public through the writer and reader roles.)
                result.add(grant(d, "public", ObjectType.SCHEMA, "pgstac_admin", "USAGE"));
                // The migration creates its helper function pgstac_admin_owns() before schema pgstac exists, in
                // public: CREATE there (USAGE comes through pgstac_admin, which the migrator is a member of).
                for (String migrator : db.migrators()) {
                    result.add(grant(d, "public", ObjectType.SCHEMA, migrator, "CREATE"));
                }
            }
            for (String schema : db.allSchemas()) {
                for (String role : List.of(db.writerRole(), db.readerRole())) {
                    result.add(grant(d, schema, ObjectType.SCHEMA, role, "USAGE"));
                }
                result.add(grant(d, schema, ObjectType.TABLE, db.writerRole(), WRITER_TABLE));
                result.add(grant(d, schema, ObjectType.TABLE, db.readerRole(), "SELECT"));
                result.add(grant(d, schema, ObjectType.SEQUENCE, db.writerRole(), WRITER_SEQUENCE));
                result.add(grant(d, schema, ObjectType.SEQUENCE, db.readerRole(), "SELECT"));
                result.add(defaults(d, schema, ObjectType.TABLE, db.ownerRole(), db.writerRole(), WRITER_TABLE));
                result.add(defaults(d, schema, ObjectType.TABLE, db.ownerRole(), db.readerRole(), "SELECT"));
                result.add(defaults(d, schema, ObjectType.SEQUENCE, db.ownerRole(), db.writerRole(), WRITER_SEQUENCE));
                result.add(defaults(d, schema, ObjectType.SEQUENCE, db.ownerRole(), db.readerRole(), "SELECT"));
            }
        }
        return List.copyOf(result);
    }

    /** NOLOGIN roles: each database's group roles, and the pgSTAC roles where needed (once). */
    public List<String> groupRoles() {
        Set<String> roles = new LinkedHashSet<>();
        for (DatabaseModel db : databases) {
            roles.addAll(db.groupRoles());
        }
        for (DatabaseModel db : databases) {
            if (db.pgstac()) {
                roles.addAll(DatabaseModel.PGSTAC_ROLES);
            }
        }
        return List.copyOf(roles);
    }

    /** Login roles, each once even when it has access to several databases. */
    public List<String> loginRoles() {
        Set<String> roles = new LinkedHashSet<>();
        databases.forEach(db -> db.logins().forEach(login -> roles.add(login.name())));
        return List.copyOf(roles);
    }

    /** Logins that run pgSTAC's migration: they get CREATEROLE (its SQL runs CREATE ROLE and ALTER ROLE on every run). */
    public Set<String> migratorLogins() {
        Set<String> roles = new LinkedHashSet<>();
        databases.forEach(db -> roles.addAll(db.migrators()));
        return roles;
    }

    /** Logins created outside the model (e.g. Cloud SQL IAM users). */
    public Set<String> externalLogins() {
        Set<String> roles = new LinkedHashSet<>();
        databases.forEach(db -> db.logins().stream().filter(Login::external).forEach(login -> roles.add(login.name())));
        return roles;
    }

    /** Every role membership: logins in group roles, group roles in pgSTAC roles. */
    public List<DatabaseModel.Membership> memberships() {
        Set<DatabaseModel.Membership> result = new LinkedHashSet<>();
        for (DatabaseModel db : databases) {
            db.logins().stream().filter(login -> login.access() != Access.MIGRATOR)
                    .forEach(login -> result.add(new DatabaseModel.Membership(login.name(), db.groupRole(login.access()))));
            result.addAll(db.pgstacMemberships());
        }
        return List.copyOf(result);
    }
}
