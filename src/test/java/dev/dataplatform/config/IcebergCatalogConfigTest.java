package dev.dataplatform.config;

import dev.dataplatform.iceberg.IcebergCatalog;
import dev.dataplatform.iceberg.PolarisFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** data-platform:icebergCatalog on the committed stack files, and each bad input refused with file, key and what is allowed. */
class IcebergCatalogConfigTest {
    static String committed(String stack) throws Exception {
        return LogicalBackupConfigTest.committed(stack);
    }

    static String edited(String stack, String line, String replacement) throws Exception {
        return LogicalBackupConfigTest.edited(stack, line, replacement);
    }

    @Test
    void theCommittedStacksRunTheCatalogOnTheirOwnCloud() throws Exception {
        var dev = PlatformConfigParserTest.parse("dev", committed("dev")).icebergCatalog().orElseThrow();
        assertEquals(IcebergCatalog.Server.CLOUD_SQL, dev.server());
        assertEquals("polaris", dev.database());
        assertEquals("polaris", dev.login());
        assertEquals("gcp-secret-manager", dev.passwordStore());
        assertEquals("polaris-db-password-dev", dev.passwordKey());
        assertEquals(PolarisFacts.VERSION, dev.version());
        assertEquals("iceberg", dev.namespace());
        assertEquals("data-platform", dev.realm());
        assertEquals("warehouse", dev.catalogName());
        assertEquals(List.of("data-apps"), dev.allowClientsFrom());
        assertNull(dev.replicas(), "the environment decides");
        var stage = PlatformConfigParserTest.parse("stage", committed("stage")).icebergCatalog().orElseThrow();
        assertEquals(IcebergCatalog.Server.RDS, stage.server());
        assertEquals("10.30.0.0/16", stage.databaseCidr());
        assertEquals("210987654321", stage.awsAccountId());
        assertNull(stage.passwordStore(), "RDS logins use IAM tokens");
        var prod = PlatformConfigParserTest.parse("prod", committed("prod")).icebergCatalog().orElseThrow();
        assertEquals("polaris-db-password-prod", prod.passwordKey());
    }

    static Stream<Arguments> badInputs() throws Exception {
        return Stream.of(
                // The acceptance lines: no warehouse bucket, a database that does not exist, a client namespace that is not a DNS label.
                Arguments.of("dev", edited("dev", "    warehouse: true\n", ""),
                        "data-platform:icebergCatalog", "needs a warehouse bucket: the catalog's base location is in it; allowed only with data-platform:buckets.warehouse: true"),
                Arguments.of("stage", edited("stage", "    warehouse: true\n", "    warehouse: false\n"),
                        "data-platform:icebergCatalog", "allowed only with data-platform:buckets.warehouse: true"),
                Arguments.of("dev", edited("dev", "      name: polaris\n      login: polaris\n", "      name: iceberg\n      login: polaris\n"),
                        "data-platform:icebergCatalog.database.name", "'iceberg' is not a database of data-platform:cloudSql; allowed: pgstac, dagster, marquez, polaris"),
                Arguments.of("stage", edited("stage", "      name: polaris\n      login: polaris\n", "      name: catalog\n      login: polaris\n"),
                        "data-platform:icebergCatalog.database.name", "'catalog' is not a database of data-platform:rds; allowed: metadata, dagster, polaris"),
                Arguments.of("dev", edited("dev", "    allowClientsFrom: [data-apps]\n", "    allowClientsFrom: [data-apps, Trino_Clients]\n"),
                        "data-platform:icebergCatalog.allowClientsFrom[1]", "DNS"),
                Arguments.of("dev", edited("dev", "  data-platform:icebergCatalog:\n", "  data-platform:icebergCatalog:\n    namespace: Iceberg\n"),
                        "data-platform:icebergCatalog.namespace", "DNS"),
                Arguments.of("dev", edited("dev", "      name: polaris\n      login: polaris\n", "      name: dagster\n      login: polaris\n"),
                        "data-platform:icebergCatalog.database.login", "'polaris' must be a login of cloudSql database 'dagster' with access owner (Polaris creates its schema polaris_schema); its owner logins: dagster"),
                Arguments.of("stage", edited("stage", "      name: polaris\n      login: polaris\n", "      name: metadata\n      login: dagster\n"),
                        "data-platform:icebergCatalog.database.login", "must be a login of rds database 'metadata' with access owner"),
                Arguments.of("dev", edited("dev", "      passwordKey: polaris-db-password-dev\n", ""),
                        "data-platform:icebergCatalog.database.server", "cloudSql needs passwordStore and passwordKey"),
                Arguments.of("stage", edited("stage", "      login: polaris\n      cidr: 10.30.0.0/16\n", "      login: polaris\n      cidr: 10.30.0.0/16\n      passwordStore: aws-secrets\n      passwordKey: k\n"),
                        "data-platform:icebergCatalog.database.server", "rds logins authenticate with IAM tokens only"),
                Arguments.of("stage", edited("stage", "      login: polaris\n      cidr: 10.30.0.0/16\n", "      login: polaris\n"),
                        "data-platform:icebergCatalog.database.cidr", "is required with rds"),
                Arguments.of("stage", edited("stage", "  data-platform:icebergCatalog:\n", "  data-platform:icebergCatalog:\n    awsAccountId: \"111111111111\"\n"),
                        "data-platform:icebergCatalog.awsAccountId", "'111111111111' is not cluster 'stage-eks''s (210987654321)"),
                Arguments.of("stage", edited("stage", "  data-platform:icebergCatalog:\n", "  data-platform:icebergCatalog:\n    awsAccountId: \"2109\"\n"),
                        "data-platform:icebergCatalog.awsAccountId", "12-digit"),
                Arguments.of("dev", edited("dev", "      server: cloudSql\n      name: polaris\n", "      server: rds\n      name: polaris\n"),
                        "data-platform:icebergCatalog.database.server", "rds is not configured in this stack"),
                Arguments.of("dev", edited("dev", "      server: cloudSql\n      name: polaris\n", "      server: postgres\n      name: polaris\n"),
                        "data-platform:icebergCatalog.database.server", "allowed: cloudSql, rds"),
                Arguments.of("dev", edited("dev", "  data-platform:icebergCatalog:\n", "  data-platform:icebergCatalog:\n    version: \"1.6.0\"\n"),
                        "data-platform:icebergCatalog.version", "'1.6.0' is not a supported Polaris release; allowed: 1.7.0"),
                Arguments.of("dev", edited("dev", "  data-platform:icebergCatalog:\n", "  data-platform:icebergCatalog:\n    realm: \"a,b\"\n"),
                        "data-platform:icebergCatalog.realm", IcebergCatalog.REALM_RULE),
                Arguments.of("dev", edited("dev", "  data-platform:icebergCatalog:\n", "  data-platform:icebergCatalog:\n    catalogName: \"../x\"\n"),
                        "data-platform:icebergCatalog.catalogName", IcebergCatalog.CATALOG_RULE),
                Arguments.of("dev", edited("dev", "  data-platform:icebergCatalog:\n", "  data-platform:icebergCatalog:\n    replicas: 0\n"),
                        "data-platform:icebergCatalog.replicas", "1"),
                Arguments.of("dev", edited("dev", "  data-platform:icebergCatalog:\n", "  data-platform:icebergCatalog:\n    realms: x\n"),
                        "data-platform:icebergCatalog.realms", "realm"),
                Arguments.of("dev", edited("dev", "  data-platform:icebergCatalog:\n", "  data-platform:icebergCatalog:\n    oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/ABC\n"),
                        "data-platform:icebergCatalog.oidcProvider", "is only used with database.server rds"));
    }

    @ParameterizedTest(name = "[{index}] {2}: {3}")
    @MethodSource("badInputs")
    void badInputIsRefusedWithFileKeyPathAndWhatIsAllowed(String stack, String yaml, String path, String fragment) {
        ConfigRefusals.assertRefused(stack, yaml, path, fragment);
    }
}
