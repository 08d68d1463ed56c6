package dev.dataplatform.access;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Rules for the names the access model puts into SQL (always quoted there, but kept simple). */
public final class Names {
    /** Databases, schemas, group roles, extensions: lower-case SQL identifiers, at most 63 bytes. */
    public static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    public static final String IDENTIFIER_RULE = "1-63 characters: lower-case letters, digits and '_', not starting with a digit";
    /** Login roles may also be IAM user names: etl@acme-data.iam, data-reader. */
    public static final Pattern LOGIN = Pattern.compile("[a-z_][a-z0-9_.@-]{0,62}");
    public static final String LOGIN_RULE = "1-63 characters: lower-case letters, digits, '_', '.', '@' and '-', "
            + "starting with a letter or '_'";

    /** PostgreSQL keeps at most NAMEDATALEN-1 = 63 bytes of a name (longer ones are silently truncated). */
    public static final int MAX_NAME_BYTES = 63;
    /** PostgreSQL refuses to create roles whose name starts with this ("role name ... is reserved"). */
    public static final String RESERVED_ROLE_PREFIX = "pg_";
    /** The suffixes of a database's group roles ({@link DatabaseModel#groupRoles()}). */
    static final List<String> GROUP_ROLE_SUFFIXES = List.of("_owner", "_writer", "_reader");
    /** The longest database name whose group roles still fit in {@value #MAX_NAME_BYTES} bytes. */
    public static final int MAX_DATABASE_NAME_BYTES = MAX_NAME_BYTES - "_writer".length();

    private Names() {
    }

    /**
     * Why PostgreSQL would refuse or alter a role (login or group) name, or empty: the one check every
     * role name in config and in the access model goes through. PostgreSQL 15 refuses {@code CREATE ROLE}
     * for names starting with {@code pg_} ({@code role name "dp_backup" is reserved}) and truncates names
     * longer than 63 bytes (NAMEDATALEN - 1), so two long names could become one role.
     */
    public static Optional<String> roleNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("is empty; allowed: a role name of 1-" + MAX_NAME_BYTES + " bytes");
        }
        if (name.startsWith(RESERVED_ROLE_PREFIX)) {
            return Optional.of("'" + name + "' starts with '" + RESERVED_ROLE_PREFIX + "', which PostgreSQL reserves for its own "
                    + "roles (CREATE ROLE fails: role name is reserved); allowed: a name that does not start with "
                    + RESERVED_ROLE_PREFIX + " (e.g. dp_" + name.substring(RESERVED_ROLE_PREFIX.length()) + ")");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            return Optional.of("'" + abbreviated(name) + "' is " + bytes + " bytes in UTF-8; PostgreSQL keeps only the first "
                    + MAX_NAME_BYTES + " bytes of a role name (NAMEDATALEN - 1); allowed: at most " + MAX_NAME_BYTES + " bytes");
        }
        return Optional.empty();
    }

    /** A login name: {@link #LOGIN} and then {@link #roleNameProblem}. */
    public static Optional<String> loginProblem(String name) {
        if (name == null || !LOGIN.matcher(name).matches()) {
            return Optional.of("'" + abbreviated(String.valueOf(name)) + "' is not valid; allowed: " + LOGIN_RULE);
        }
        return roleNameProblem(name);
    }

    /**
     * Why a database name cannot be used by the access model, or empty: its group roles ({@code D_owner},
     * {@code D_writer}, {@code D_reader}) must pass {@link #roleNameProblem} too.
     */
    public static Optional<String> databaseProblem(String database) {
        if (database == null || !IDENTIFIER.matcher(database).matches()) {
            return Optional.of("'" + abbreviated(String.valueOf(database)) + "' is not valid; allowed: " + IDENTIFIER_RULE);
        }
        for (String suffix : GROUP_ROLE_SUFFIXES) {
            var problem = roleNameProblem(database + suffix);
            if (problem.isPresent()) {
                return Optional.of("gives the group role " + problem.get() + " (the access model names a database's roles "
                        + database + "_owner, _writer, _reader; a database name may not start with " + RESERVED_ROLE_PREFIX
                        + " and has at most " + MAX_DATABASE_NAME_BYTES + " bytes)");
            }
        }
        return Optional.empty();
    }

    private static String abbreviated(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }

    static String requireIdentifier(String value, String what) {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' is not valid; allowed: " + IDENTIFIER_RULE);
        }
        return value;
    }

    static String requireLogin(String value, String what) {
        var problem = loginProblem(value);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(what + " " + problem.get());
        }
        return value;
    }

    /** A double-quoted SQL identifier. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** A single-quoted SQL string literal. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
