package dev.dataplatform.config;

/**
 * pgSTAC's migration, run by the program on {@code pulumi up} for every pgSTAC database of Cloud SQL and of the
 * StackGres tenants.
 *
 * @param version       data-platform:pgstacVersion, the pgSTAC release the Jobs migrate to (default 0.9.11)
 * @param passwordStore data-platform:pgstacMigration.passwordStore, the ClusterSecretStore with the migrator's password
 *                      (null without Cloud SQL pgSTAC databases)
 * @param passwordKey   data-platform:pgstacMigration.passwordKey, its remote key (a DBA sets the password)
 */
public record PgstacConfig(String version, String passwordStore, String passwordKey) {
}
