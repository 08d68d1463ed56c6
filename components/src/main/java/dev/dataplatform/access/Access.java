package dev.dataplatform.access;

/** What a login may do in a database: its membership in one of the database's group roles. */
public enum Access {
    /** Owns the schemas and their objects: migrations, extensions. Logs in, then `SET ROLE <db>_owner`. */
    OWNER,
    /** Ingestion: SELECT/INSERT/UPDATE/DELETE (so COPY FROM) on tables, sequences for inserts; no DDL. */
    WRITER,
    /** API: SELECT on tables and sequences; nothing else. */
    READER,
    /**
     * pgSTAC databases only: runs pgSTAC's own migration ({@code pypgstac migrate}). No data access level:
     * it gets exactly what that SQL needs (see {@link AccessModel#privileges()} and docs/access-model.md).
     */
    MIGRATOR
}
