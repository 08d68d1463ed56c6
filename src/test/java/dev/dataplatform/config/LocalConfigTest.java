package dev.dataplatform.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** data-platform:local: the committed local stack parses; cloud-only settings and a cluster without a context are refused. */
class LocalConfigTest {
    static String localYaml() throws Exception {
        return Files.readString(Path.of("..", "Pulumi.local.yaml"));
    }

    @Test
    void theLocalStackParsesWithItsDefaults() throws Exception {
        var config = PlatformConfigParserTest.parse("local", localYaml());
        var local = config.local().orElseThrow();
        assertEquals("data-local", local.namespace());
        assertEquals("10.244.0.0/16", local.podCidr());
        assertEquals(java.util.List.of("pgstac", "dagster", "polaris", "marquez"), local.databases().stream().map(d -> d.name()).toList());
        var dagster = config.dagster().orElseThrow();
        assertEquals(DagsterConfig.Server.LOCAL, dagster.server());
        assertEquals("local-credentials", dagster.passwordStore());
        assertEquals("login-dagster#password", dagster.passwordKey());
        assertTrue(config.cloudSql().isEmpty() && config.rds().isEmpty() && config.buckets().isEmpty());
        assertEquals("laptop", config.clusters().of(ClustersConfig.Component.LOCAL).name());
        var catalog = config.icebergCatalog().orElseThrow();
        assertEquals(dev.dataplatform.iceberg.IcebergCatalog.Server.LOCAL, catalog.server());
        assertEquals("local-credentials", catalog.passwordStore());
        assertEquals("login-polaris#password", catalog.passwordKey());
        assertEquals("10.244.0.0/16", catalog.databaseCidr());
        var marquez = config.observability().orElseThrow().marquez();
        assertEquals(new ObservabilityConfig.Marquez("marquez", "marquez", "local-credentials", "login-marquez#password",
                ObservabilityConfig.MarquezServer.LOCAL), marquez);
    }

    @Test
    void polarisOnLocalNeedsAnOwnerLoginOfALocalDatabaseAndNoPasswordSettings() throws Exception {
        ConfigRefusals.assertRefused("local", localYaml().replace("      name: polaris\n      login: polaris\n",
                        "      name: polaris\n      login: polaris\n      passwordStore: vault\n      passwordKey: polaris-pw\n"),
                "data-platform:icebergCatalog.database.passwordStore", "is not used with local: the password is generated in the cluster");
        ConfigRefusals.assertRefused("local", localYaml().replace("      name: polaris\n      login: polaris\n",
                        "      name: polaris\n      login: polaris\n      cidr: 10.0.0.0/8\n"),
                "data-platform:icebergCatalog.database.cidr", "is not used with local");
        ConfigRefusals.assertRefused("local", localYaml().replace("      name: polaris\n      login: polaris\n",
                        "      name: polaris\n      login: dagster\n"),
                "data-platform:icebergCatalog.database.login", "must be a login of local database 'polaris' with access owner");
        ConfigRefusals.assertRefused("local", localYaml().replace("      name: polaris\n      login: polaris\n",
                        "      name: lakehouse\n      login: polaris\n"),
                "data-platform:icebergCatalog.database.name", "'lakehouse' is not a database of data-platform:local");
        ConfigRefusals.assertRefused("local", localYaml().replace("      server: local\n      name: polaris\n",
                        "      server: cloudSql\n      name: polaris\n"),
                "data-platform:icebergCatalog.database.server", "cloudSql is not configured in this stack");
    }

    @Test
    void marquezOnLocalNeedsAnOwnerLoginOfALocalDatabaseAndNoPasswordSettings() throws Exception {
        ConfigRefusals.assertRefused("local", localYaml().replace("      user: marquez\n",
                        "      user: marquez\n      passwordStore: vault\n"),
                "data-platform:observability.marquez.passwordStore", "is not used with server local");
        ConfigRefusals.assertRefused("local", localYaml().replace("      user: marquez\n", "      user: stac_api\n"),
                "data-platform:observability.marquez.user", "must be a login of local database 'marquez' with access owner");
        ConfigRefusals.assertRefused("local", localYaml().replace("      database: marquez\n", "      database: lineage\n"),
                "data-platform:observability.marquez.database", "'lineage' is not a database of data-platform:local");
        ConfigRefusals.assertRefused("local", localYaml().replace("      server: local\n      database: marquez\n",
                        "      server: onprem\n      database: marquez\n"),
                "data-platform:observability.marquez.server", "cloudSql, local");
    }

    @Test
    void aCloudBlockInTheLocalStackIsRefused() throws Exception {
        String yaml = localYaml() + """
                  data-platform:buckets:
                    cloud: gcp
                    prefix: acme-lake
                    gcpProject: acme-data-dev
                    location: EU
                """;
        ConfigRefusals.assertRefused("local", yaml, "data-platform:buckets", "this is a local stack");
    }

    @Test
    void aCloudProviderKeyInTheLocalStackIsRefused() throws Exception {
        ConfigRefusals.assertRefused("local", localYaml() + "  gcp:project: acme-data-dev\n", "gcp:project",
                "configures a cloud provider, but this is a local stack");
    }

    @Test
    void aKubeconfigClusterWithoutContextIsRefused() throws Exception {
        String yaml = localYaml().replace("      context: kind-data-platform\n", "");
        ConfigRefusals.assertRefused("local", yaml, "data-platform:clusters.laptop.context", "kind-data-platform");
    }

    @Test
    void dagsterOnLocalNeedsAnOwnerLoginOfALocalDatabase() throws Exception {
        ConfigRefusals.assertRefused("local", localYaml().replace("      login: dagster\n", "      login: stac_api\n"),
                "data-platform:dagster.database.login", "is not an owner login of local database dagster");
        ConfigRefusals.assertRefused("local", localYaml().replace("      name: dagster\n      auth", "      name: nope\n      auth"),
                "data-platform:dagster.database.name", "is not a database of data-platform:local");
        ConfigRefusals.assertRefused("local", localYaml().replace("      auth: password\n", "      auth: iam\n"),
                "data-platform:dagster.database.auth", "password logins only");
    }

    @Test
    void localIsRefusedOnAGkeCluster() throws Exception {
        String yaml = localYaml().replace("""
                    laptop:
                      kind: kubeconfig
                      context: kind-data-platform
                """, """
                    laptop:
                      kind: gke
                      project: acme-data-dev
                      location: europe-west1
                      name: data-platform-dev
                """);
        ConfigRefusals.assertRefused("local", yaml, "data-platform:local", "allowed: a kubeconfig cluster");
    }
}
