package dev.dataplatform.access;

/**
 * A role that logs in and gets its privileges from membership in one group role. It has no
 * password here: it authenticates through Cloud SQL IAM, RDS IAM, or credentials StackGres generates.
 *
 * @param name     the PostgreSQL role name, e.g. {@code ingest} or a Cloud SQL IAM user
 *                 {@code etl@acme-data.iam}
 * @param access   which group role it is a member of
 * @param external the role is created by someone else (a Cloud SQL IAM user is created through the
 *                 Cloud SQL API): the pulumi-postgresql renderer only grants membership. The SQL
 *                 renderer still creates it if missing.
 */
public record Login(String name, Access access, boolean external) {
    public Login(String name, Access access) {
        this(name, access, false);
    }

    public Login {
        Names.requireLogin(name, "login name");
        if (access == null) {
            throw new IllegalArgumentException("login '" + name + "': access is required (OWNER, WRITER or READER)");
        }
    }
}
