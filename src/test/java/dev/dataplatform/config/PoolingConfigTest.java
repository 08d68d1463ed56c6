package dev.dataplatform.config;

import dev.dataplatform.aws.RdsProxy;
import dev.dataplatform.stackgres.TenantPooling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.dataplatform.config.LogicalBackupConfigTest.committed;
import static dev.dataplatform.config.LogicalBackupConfigTest.edited;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection pooling in config: data-platform:rds.proxy (stage and prod) and a tenant's
 * data-platform:tenants.clients[i].pooling; each bad input refused with file, key path and what is allowed.
 */
class PoolingConfigTest {
    static final String PROXY = "data-platform:rds.proxy";
    static final String CLIENT = "data-platform:tenants.clients[0]";
    static final String GLOBEX = "      - name: globex\n        extensions: [postgis]\n";
    static final String MAX = "      maxConnectionsPercent: 50\n";
    /** The pooled login of the committed stage file. */
    static final String COMMITTED_LOGINS = "      loginSecrets:\n        - username: metadata_app\n"
            + "          secretArn: arn:aws:secretsmanager:eu-west-1:210987654321:secret:rds-proxy/stage/metadata_app-Ab12Cd\n";

    /** stage's tenant shard file with the globex tenant given these extra lines (8-space indented keys). */
    static String tenant(String lines) throws Exception {
        return edited("stage-tenants-01", GLOBEX, GLOBEX + lines);
    }

    @Test
    void stageAndProdPutAProxyInFrontOfRdsWithHalfTheConnections() throws Exception {
        for (String stack : List.of("stage", "prod")) {
            var proxy = PlatformConfigParserTest.parse(stack, committed(stack)).rds().orElseThrow().proxy();
            String account = stack.equals("stage") ? "210987654321" : "123456789012";
            assertEquals(new RdsProxy.Settings(50, 25, 120, List.of(new RdsProxy.LoginSecret("metadata_app",
                    "arn:aws:secretsmanager:eu-west-1:" + account + ":secret:rds-proxy/" + stack + "/metadata_app-Ab12Cd")), false),
                    proxy, stack);
            assertFalse(proxy.masterUser(), "the master user is not proxied");
        }
    }

    @Test
    void proxyDefaultsAndDbaKeptLogins() throws Exception {
        var yaml = edited("stage", "    proxy:\n" + MAX + "      maxIdleConnectionsPercent: 25\n"
                        + "      connectionBorrowTimeoutSeconds: 120\n" + COMMITTED_LOGINS,
                "    proxy:\n      loginSecrets:\n        - username: reporting\n"
                        + "          secretArn: arn:aws:secretsmanager:eu-west-1:210987654321:secret:reporting-AbCdEf\n");
        var proxy = PlatformConfigParserTest.parse("stage", yaml).rds().orElseThrow().proxy();
        assertEquals(RdsProxy.Settings.DEFAULT_MAX_CONNECTIONS_PERCENT, proxy.maxConnectionsPercent());
        assertEquals(RdsProxy.Settings.DEFAULT_MAX_IDLE_CONNECTIONS_PERCENT, proxy.maxIdleConnectionsPercent());
        assertEquals(RdsProxy.Settings.DEFAULT_BORROW_TIMEOUT_SECONDS, proxy.connectionBorrowTimeoutSeconds());
        assertEquals(List.of(new RdsProxy.LoginSecret("reporting",
                "arn:aws:secretsmanager:eu-west-1:210987654321:secret:reporting-AbCdEf")), proxy.loginSecrets());
    }

    @Test
    void withoutTheKeyThereIsNoProxy() throws Exception {
        assertNull(PlatformConfigParserTest.parse("stage", edited("stage", "    proxy:\n" + MAX
                + "      maxIdleConnectionsPercent: 25\n      connectionBorrowTimeoutSeconds: 120\n" + COMMITTED_LOGINS, ""))
                .rds().orElseThrow().proxy());
    }

    @Test
    void aTenantPoolsWithStackGresDefaultsUnlessOverridden() throws Exception {
        var none = ConfigRefusals.parseShard("stage-tenants-01", committed("stage-tenants-01")).tenants().orElseThrow().clients().get(0);
        assertEquals(TenantPooling.Overrides.NONE, none.pooling());
        var yaml = tenant("        pooling:\n          poolMode: transaction\n          defaultPoolSize: 30\n"
                + "          maxClientConnections: 2000\n          maxDbConnections: 60\n"
                + "          parameters: {server_idle_timeout: \"300\", max_prepared_statements: \"100\"}\n");
        var pooling = ConfigRefusals.parseShard("stage-tenants-01", yaml).tenants().orElseThrow().clients().get(0).pooling();
        assertEquals(new TenantPooling.Overrides(TenantPooling.PoolMode.TRANSACTION, 30, 2000, 60,
                Map.of("server_idle_timeout", "300", "max_prepared_statements", "100")), pooling);
    }

    @Test
    void aProxyOnAStackWithoutRdsIsRefusedWithTheKeysRdsNeeds() throws Exception {
        // The proxy is part of data-platform:rds: on dev (Cloud SQL only) a lone proxy block is an incomplete RDS.
        var yaml = committed("dev").replace("  data-platform:cloudSql:\n",
                "  data-platform:rds:\n    proxy: {maxConnectionsPercent: 50}\n  data-platform:cloudSql:\n");
        var error = assertThrows(ConfigException.class, () -> PlatformConfigParserTest.parse("dev", yaml));
        for (String key : List.of("region", "vpcId", "subnetIds")) {
            assertTrue(error.errors().stream().anyMatch(e -> e.path().equals("data-platform:rds." + key)
                            && e.file().equals(StackFile.fileName("dev"))), key + " in\n" + error.getMessage());
        }
        assertTrue(error.errors().stream().noneMatch(e -> e.path().startsWith("data-platform:rds.proxy")), error.getMessage());
    }

    static Stream<Arguments> badInputs() throws Exception {
        String idle = "      maxIdleConnectionsPercent: 25\n";
        String borrow = "      connectionBorrowTimeoutSeconds: 120\n";
        String login = "      loginSecrets:\n        - username: %s\n          secretArn: %s\n";
        String arn = "arn:aws:secretsmanager:eu-west-1:210987654321:secret:login-AbCdEf";
        return Stream.of(
                Arguments.of(edited("stage", MAX, "      maxConnectionsPercent: 0\n"), PROXY + ".maxConnectionsPercent",
                        "0 is out of range; allowed: 1 to 100"),
                Arguments.of(edited("stage", MAX, "      maxConnectionsPercent: 150\n"), PROXY + ".maxConnectionsPercent",
                        "allowed: 1 to 100"),
                Arguments.of(edited("stage", idle, "      maxIdleConnectionsPercent: 60\n"), PROXY + ".maxIdleConnectionsPercent",
                        "60 is out of range; allowed: 0 to maxConnectionsPercent (50)"),
                Arguments.of(edited("stage", borrow, "      connectionBorrowTimeoutSeconds: 301\n"),
                        PROXY + ".connectionBorrowTimeoutSeconds", "allowed: 0 to 300"),
                Arguments.of(edited("stage", borrow, borrow + "      requireTls: false\n"), PROXY + ".requireTls",
                        "unknown key"),
                Arguments.of(edited("stage", COMMITTED_LOGINS, String.format(login, "dagster", arn)),
                        PROXY + ".loginSecrets[0].username", "is a login of the access model: it is a member of rds_iam"),
                // IAM role names stop at 64 characters: <identifier>-rds-monitoring must fit (stage monitors every 60 s).
                Arguments.of(edited("stage", "  data-platform:rds:\n    region: eu-west-1\n", "  data-platform:rds:\n    region: eu-west-1\n    identifier: " + "a".repeat(50) + "\n"),
                        "data-platform:rds.identifier", "allowed: at most 49 characters with enhanced monitoring"),
                // The logical backup's and restore drill's logins are rds_iam members too (RdsLogicalBackup grants it).
                Arguments.of(edited("stage", COMMITTED_LOGINS, String.format(login, "dp_backup", arn)),
                        PROXY + ".loginSecrets[0].username", "is a login of the access model: it is a member of rds_iam"),
                Arguments.of(edited("stage", COMMITTED_LOGINS, String.format(login, "dp_restore_drill", arn)),
                        PROXY + ".loginSecrets[0].username", "is a login of the access model: it is a member of rds_iam"),
                Arguments.of(edited("stage", COMMITTED_LOGINS, String.format(login, "platform_admin", arn)),
                        PROXY + ".loginSecrets[0].username", "is the master user"),
                Arguments.of(edited("stage", COMMITTED_LOGINS, String.format(login, "reporting", "reporting-password")),
                        PROXY + ".loginSecrets[0].secretArn", "allowed: arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME"),
                Arguments.of(edited("stage", COMMITTED_LOGINS, "      loginSecrets:\n        - username: reporting\n"
                                + "          secretArn: " + arn + "\n        - username: reporting\n          secretArn: " + arn + "\n"),
                        PROXY + ".loginSecrets[1].username", "is listed twice"),
                Arguments.of(edited("stage", COMMITTED_LOGINS, ""), PROXY + ".loginSecrets",
                        "is required: the proxy pools password logins a DBA keeps in Secrets Manager"),
                Arguments.of(edited("stage", "    ssmParameterName: /data-platform/stage/database/connection\n",
                                "    ssmParameterName: /data-platform/stage/database/connection\n"
                                        + "    kmsKeyId: arn:aws:kms:eu-west-1:210987654321:alias/rds\n"),
                        PROXY, "needs data-platform:rds.kmsKeyId as a key ARN, not an alias"),
                Arguments.of(tenant("        pooling: {poolMode: batch}\n"), CLIENT + ".pooling.poolMode",
                        "'batch' is not allowed; allowed: session, transaction, statement"),
                Arguments.of(tenant("        pooling: {maxDbConnections: 95}\n"), CLIENT + ".pooling.maxDbConnections",
                        "allowed: 1 to 80"),
                Arguments.of(tenant("        pooling: {maxDbConnections: 40, defaultPoolSize: 50}\n"),
                        CLIENT + ".pooling.defaultPoolSize", "50 is out of range; allowed: 1..40 (at most maxDbConnections)"),
                Arguments.of(tenant("        pooling: {maxClientConnections: 0}\n"), CLIENT + ".pooling.maxClientConnections",
                        "allowed: 1 to 100000"),
                Arguments.of(tenant("        pooling: {parameters: {listen_port: \"5432\"}}\n"),
                        CLIENT + ".pooling.parameters.listen_port", "is set by StackGres 1.18.6 itself (its pgbouncer blocklist)"),
                Arguments.of(tenant("        pooling: {parameters: {auth_type: trust}}\n"),
                        CLIENT + ".pooling.parameters.auth_type", "pgbouncer blocklist"),
                Arguments.of(tenant("        pooling: {parameters: {pool_mode: transaction}}\n"),
                        CLIENT + ".pooling.parameters.pool_mode", "has its own setting"),
                Arguments.of(tenant("        pooling: {parameters: {Server-Idle: \"1\"}}\n"),
                        CLIENT + ".pooling.parameters.Server-Idle", "is not valid; allowed: a pgbouncer.ini parameter name"),
                Arguments.of(tenant("        pooling: {parameters: {server_idle_timeout: \"600 ; [databases]\"}}\n"),
                        CLIENT + ".pooling.parameters.server_idle_timeout", "is not a plain pgbouncer.ini value"),
                // PgBouncer 1.25.1 exits at start-up on an unknown parameter (PgBouncerIniTest shows it on the real one).
                Arguments.of(tenant("        pooling: {parameters: {server_idle_timout: \"600\"}}\n"),
                        CLIENT + ".pooling.parameters.server_idle_timout", "is not a parameter of PgBouncer 1.25.1 (what "
                                + "StackGres 1.18.6 ships), which refuses to start with an unknown parameter (did you mean "
                                + "'server_idle_timeout'?)"),
                Arguments.of(tenant("        pgstac: true\n        pooling: {poolMode: statement}\n"),
                        CLIENT + ".pooling.poolMode", "'statement' is not allowed for a pgSTAC tenant"),
                Arguments.of(tenant("        instances: 2\n        citus: {shards: 2, instancesPerShard: 2}\n"
                                + "        pooling: {maxDbConnections: 40}\n"),
                        CLIENT + ".pooling.maxDbConnections", "allowed: 1..30 (the Citus coordinator's citus.max_client_connections"),
                Arguments.of(tenant("        pooling: {poolSize: 10}\n"), CLIENT + ".pooling.poolSize", "unknown key"));
    }

    @ParameterizedTest(name = "[{index}] {1}: {2}")
    @MethodSource("badInputs")
    void badInputIsRefusedWithFileKeyPathAndWhatIsAllowed(String yaml, String path, String fragment) {
        // The tenant cases edit stage's tenant shard (its clients live there), the others the platform file.
        ConfigRefusals.assertRefused(yaml.contains("data-platform:platformStack") ? "stage-tenants-01" : "stage", yaml, path, fragment);
    }
}
