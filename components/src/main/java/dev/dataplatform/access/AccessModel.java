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
        for (DatabaseModel database : databases) {
            for (Login login : database.logins()) {
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
            result.add(grant(d, null, ObjectType.DATABASE, db.writerRole(), "CONNECT"));
            result.add(grant(d, null, ObjectType.DATABASE, db.readerRole(), "CONNECT"));
            result.add(grant(d, "public", ObjectType.SCHEMA, PUBLIC));
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
            db.logins().forEach(login -> result.add(new DatabaseModel.Membership(login.name(), db.groupRole(login.access()))));
            result.addAll(db.pgstacMemberships());
        }
        return List.copyOf(result);
    }
}
