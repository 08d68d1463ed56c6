package dev.dataplatform.access;

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

    private Names() {
    }

    static String requireIdentifier(String value, String what) {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' is not valid; allowed: " + IDENTIFIER_RULE);
        }
        return value;
    }

    static String requireLogin(String value, String what) {
        if (value == null || !LOGIN.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' is not valid; allowed: " + LOGIN_RULE);
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
