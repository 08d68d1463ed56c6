package dev.dataplatform.access;

import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One statement of the model: {@code role} holds exactly {@code privileges} on an object. An
 * empty set revokes everything (used for PUBLIC). Both renderers emit exactly these, and the tests
 * compare them as sets.
 *
 * @param kind       a grant on existing objects, or default privileges for objects the owner creates later
 * @param schema     the schema for SCHEMA, TABLE and SEQUENCE; null for DATABASE
 * @param owner      for DEFAULT: the role whose future objects get the privileges; otherwise null
 * @param role       the grantee; {@value #PUBLIC} for every role
 */
public record PrivilegeGrant(Kind kind, String database, String schema, ObjectType objectType, String owner,
                             String role, SortedSet<String> privileges) {
    public static final String PUBLIC = "public";

    public enum Kind { GRANT, DEFAULT }

    /** The object types, as the provider spells them (lower case). */
    public enum ObjectType {
        DATABASE, SCHEMA, TABLE, SEQUENCE;

        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PrivilegeGrant {
        privileges = new TreeSet<>(privileges);
    }

    static PrivilegeGrant grant(String database, String schema, ObjectType type, String role, String... privileges) {
        return new PrivilegeGrant(Kind.GRANT, database, schema, type, null, role, new TreeSet<>(java.util.List.of(privileges)));
    }

    static PrivilegeGrant defaults(String database, String schema, ObjectType type, String owner, String role,
                                   String... privileges) {
        return new PrivilegeGrant(Kind.DEFAULT, database, schema, type, owner, role, new TreeSet<>(java.util.List.of(privileges)));
    }
}
