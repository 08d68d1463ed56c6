package dev.dataplatform.iceberg;

import java.util.List;

/**
 * What the Iceberg catalog relies on from Apache Polaris, checked at tag {@code apache-polaris-1.7.0} of
 * apache/polaris (the newest release tag; recorded in docs/upstream-facts.md, "Apache Polaris"). The component and
 * its tests read these constants; re-check every one at a new tag before changing {@link #VERSION}.
 */
public final class PolarisFacts {
    /** The pinned release (version.txt and helm/polaris/Chart.yaml appVersion @apache-polaris-1.7.0). */
    public static final String VERSION = "1.7.0";
    /** Releases this component was checked against; other versions are a config error. */
    public static final List<String> SUPPORTED_VERSIONS = List.of(VERSION);
    /** helm/polaris/values.yaml @1.7.0: image.repository; the tag is the release. */
    public static final String SERVER_IMAGE = "apache/polaris";
    /** helm/polaris/values.yaml @1.7.0: the admin tool's image.repository. */
    public static final String ADMIN_TOOL_IMAGE = "apache/polaris-admin-tool";
    /**
     * runtime/server and runtime/admin src/main/docker/Dockerfile.jvm @1.7.0: user {@code polaris} created with uid 10000
     * in group 10001, {@code USER polaris} by name, so the pod states the number for runAsNonRoot to verify it.
     */
    public static final int IMAGE_UID = 10000;
    public static final int IMAGE_GID = 10001;
    /** runtime/defaults application.properties @1.7.0: quarkus.http.port (REST: Iceberg catalog and management API). */
    public static final int API_PORT = 8181;
    /** runtime/defaults application.properties @1.7.0: quarkus.management.port (health, metrics). */
    public static final int MANAGEMENT_PORT = 8182;
    /** helm/polaris/templates/deployment.yaml @1.7.0: the probes' paths on the management port. */
    public static final String LIVENESS_PATH = "/q/health/live";
    public static final String READINESS_PATH = "/q/health/ready";
    /** The Iceberg REST API's base path (clients' {@code uri}) and the management API's (spec/polaris-management-service.yml). */
    public static final String CATALOG_PATH = "/api/catalog";
    public static final String MANAGEMENT_PATH = "/api/management/v1";
    /** Create a catalog: POST, CreateCatalogRequest; 201 created, 409 "a catalog with the specified name already exists". */
    public static final String CATALOGS_PATH = MANAGEMENT_PATH + "/catalogs";
    /** The OAuth2 token endpoint for client credentials (configuring-polaris-for-production/_index.md @1.7.0). */
    public static final String TOKEN_PATH = CATALOG_PATH + "/v1/oauth/tokens";
    /** Catalog.name's pattern ^(?!\\s*[sS][yY][sS][tT][eE][mM]$).*$ (spec/polaris-management-service.yml @1.7.0) refuses it. */
    public static final String RESERVED_CATALOG_NAME = "system";
    /**
     * persistence/relational-jdbc/src/main/resources/postgres/schema-v5.sql @1.7.0: the admin tool's bootstrap runs it
     * on every bootstrap (JdbcMetaStoreManagerFactory.bootstrapRealms): CREATE SCHEMA IF NOT EXISTS, tables with
     * IF NOT EXISTS, an upsert of the schema version. Unquoted, so the schema is lower case.
     */
    public static final String SCHEMA = "polaris_schema";
    /** The schema version 1.7.0 installs on a new database. */
    public static final int SCHEMA_VERSION = 5;
    /** runtime/admin application.properties @1.7.0 sets it; the server's default is in-memory, so the server is told. */
    public static final String PERSISTENCE_TYPE = "relational-jdbc";
    /**
     * Configuration is given as environment variables named exactly like the properties, as Polaris documents it
     * (site/content/in-dev/unreleased/metastores/relational-jdbc.md @1.7.0, {@code --env="quarkus.datasource.username=…"}).
     */
    public static final String PERSISTENCE_TYPE_KEY = "polaris.persistence.type";
    public static final String JDBC_URL_KEY = "quarkus.datasource.jdbc.url";
    public static final String USERNAME_KEY = "quarkus.datasource.username";
    public static final String PASSWORD_KEY = "quarkus.datasource.password";
    public static final String REALMS_KEY = "polaris.realm-context.realms";
    public static final String REQUIRE_HEADER_KEY = "polaris.realm-context.require-header";
    /**
     * The token broker: the default rsa-key-pair generates a key per process (ProductionReadinessChecks @1.7.0 warns),
     * so replicas would not accept each other's tokens; a symmetric key read from a file (not from config) is shared.
     */
    public static final String TOKEN_BROKER_TYPE_KEY = "polaris.authentication.token-broker.type";
    public static final String TOKEN_BROKER_FILE_KEY = "polaris.authentication.token-broker.symmetric-key.file";

    private PolarisFacts() {
    }
}
