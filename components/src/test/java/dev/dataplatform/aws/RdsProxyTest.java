package dev.dataplatform.aws;

import com.google.gson.JsonParser;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.core.Environment;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optional RDS Proxy of {@link RdsDatabase}: TLS and IAM required, least-privilege role, its own security group. */
class RdsProxyTest {
    static final String PROXY = "aws:rds/proxy:Proxy";
    static final String POOL = "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup";
    static final String TARGET = "aws:rds/proxyTarget:ProxyTarget";
    static final String GROUP = "aws:ec2/securityGroup:SecurityGroup";
    static final String INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    static final String EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
    static final String ROLE = "aws:iam/role:Role";
    static final String ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
    static final String POLICY = "aws:iam/policy:Policy";
    static final String MASTER_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf";
    static final String REPORTING_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:reporting-AbCdEf";
    static final String PROXY_ARN = "arn:aws:rds:eu-west-1:123456789012:db-proxy:prx-0123456789abcdef0";
    static final String KEY = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666";

    static final String ACCOUNT = "123456789012";
    /** The default pool over one DBA-kept least-privilege login. */
    static final RdsProxy.Settings POOLED = new RdsProxy.Settings(50, 25, 120,
            List.of(new RdsProxy.LoginSecret("reporting", REPORTING_SECRET)));

    static RdsDatabase.Args.Builder withProxy(RdsProxy.Settings settings) {
        return RdsDatabaseTest.prod().accountId(ACCOUNT).proxy(settings);
    }

    static Harness.Run run(RdsDatabase.Args args) {
        return Harness.preview(Environment.PROD, ctx -> {
            var db = new RdsDatabase("metadata", args, ComponentResourceOptions.Empty);
            if (db.proxyEndpoint != null) {
                ctx.export("proxyEndpoint", db.proxyEndpoint);
            }
        }).succeeded();
    }

    @Test
    void theProxyRequiresTlsAndIamForPostgresqlInTheInstancesSubnets() {
        var run = run(withProxy(POOLED).build());
        var proxy = run.resource(PROXY, "metadata-proxy");
        assertEquals("data-platform-prod", proxy.inputs().get("name"));
        assertEquals("POSTGRESQL", proxy.inputs().get("engineFamily"));
        assertEquals(true, proxy.inputs().get("requireTls"));
        assertEquals(false, proxy.inputs().get("debugLogging"), "debug logging would write SQL text to the logs");
        assertEquals(List.of("subnet-0a1b2c3d4e5f67890", "subnet-0b1b2c3d4e5f67890"), proxy.inputs().get("vpcSubnetIds"));
        assertTrue(proxy.options().dependsOn().stream().anyMatch(u -> u.endsWith("::metadata-proxy-secrets")),
                "the proxy waits for its role's policy: it reads the secret when it starts");
        assertEquals("[unknown]", run.output("proxyEndpoint"));
        assertEquals(List.of(), run.findings(Environment.PROD));
    }

    @Test
    void thePoolTakesAtMostHalfOfMaxConnectionsByDefaultAndTargetsTheInstance() {
        var run = run(withProxy(POOLED).build());
        assertEquals(50L, run.input(POOL, "metadata-proxy", "connectionPoolConfig.maxConnectionsPercent"));
        assertEquals(25L, run.input(POOL, "metadata-proxy", "connectionPoolConfig.maxIdleConnectionsPercent"));
        assertEquals(120L, run.input(POOL, "metadata-proxy", "connectionPoolConfig.connectionBorrowTimeout"));
        var custom = run(withProxy(new RdsProxy.Settings(80, 10, 30, POOLED.loginSecrets())).build());
        assertEquals(80L, custom.input(POOL, "metadata-proxy", "connectionPoolConfig.maxConnectionsPercent"));
        assertEquals(10L, custom.input(POOL, "metadata-proxy", "connectionPoolConfig.maxIdleConnectionsPercent"));
        assertEquals(30L, custom.input(POOL, "metadata-proxy", "connectionPoolConfig.connectionBorrowTimeout"));
        assertEquals("data-platform-prod", run.input(TARGET, "metadata-proxy", "dbInstanceIdentifier"));
    }

    @Test
    void theProxysGroupAdmitsOnly5432FromWhoeverMayReachTheInstance() {
        var run = run(withProxy(POOLED).build());
        assertEquals("data-platform-prod-proxy", run.input(GROUP, "metadata-proxy", "name"));
        var fromGroup = run.resource(INGRESS, "metadata-proxy-from-sg-0a1b2c3d4e5f67890");
        assertEquals("sg-0a1b2c3d4e5f67890", fromGroup.inputs().get("referencedSecurityGroupId"));
        var fromCidr = run.resource(INGRESS, "metadata-proxy-from-10.20.0.0-16");
        assertEquals("10.20.0.0/16", fromCidr.inputs().get("cidrIpv4"));
        for (var rule : List.of(fromGroup, fromCidr)) {
            assertEquals(5432L, rule.inputs().get("fromPort"));
            assertEquals(5432L, rule.inputs().get("toPort"));
            assertEquals("tcp", rule.inputs().get("ipProtocol"));
        }
        // Exactly those two ingress rules on the proxy's group; the instance admits the proxy on 5432.
        assertEquals(2, run.all(INGRESS).stream().filter(r -> r.name().startsWith("metadata-proxy-from-")).count());
        var intoDatabase = run.resource(INGRESS, "metadata-from-proxy");
        assertEquals(5432L, intoDatabase.inputs().get("fromPort"));
        assertEquals(5432L, intoDatabase.inputs().get("toPort"));
        // Out: the instance on 5432 and HTTPS (Secrets Manager), nothing else.
        assertEquals(List.of("metadata-proxy-to-database", "metadata-proxy-to-https"),
                run.all(EGRESS).stream().map(r -> r.name()).sorted().toList());
        assertEquals(5432L, run.input(EGRESS, "metadata-proxy-to-database", "fromPort"));
        assertEquals(443L, run.input(EGRESS, "metadata-proxy-to-https", "toPort"));
    }

    @Test
    void withoutProxyNothingOfItIsDeclared() {
        var run = run(RdsDatabaseTest.prod().build());
        for (String type : List.of(PROXY, POOL, TARGET, POLICY, EGRESS)) {
            assertEquals(0, run.count(type), type);
        }
        assertEquals(1, run.count(GROUP));
        assertTrue(run.all(ROLE).stream().noneMatch(r -> r.name().contains("proxy")));
    }

    @Test
    void theConnectResourceIsTheProxysResourceIdAndUser() {
        assertEquals("arn:aws:rds-db:eu-west-1:123456789012:dbuser:prx-0123456789abcdef0/platform_admin",
                RdsProxy.connectArn(PROXY_ARN, "platform_admin"));
        assertEquals("arn:aws-cn:rds-db:cn-north-1:123456789012:dbuser:prx-0abc/reporting",
                RdsProxy.connectArn("arn:aws-cn:rds:cn-north-1:123456789012:db-proxy:prx-0abc", "reporting"));
        assertThrows(IllegalArgumentException.class, () -> RdsProxy.connectArn(
                "arn:aws:rds:eu-west-1:123456789012:db:data-platform-prod", "platform_admin"));
    }

    /** Mocked deploy: the master secret and the proxy ARN are known, so the auths and policies can be read. */
    static Map<String, Map<String, Object>> deploy(RdsDatabase.Args args) throws Exception {
        var recorded = new HashMap<String, Map<String, Object>>();
        var mocks = new com.pulumi.test.Mocks() {
            @Override
            public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs a) {
                var state = new HashMap<String, Object>(a.inputs);
                if (a.type.equals(RdsDatabaseTest.INSTANCE)) {
                    state.put("masterUserSecrets", List.of(Map.of("secretArn", MASTER_SECRET, "secretStatus", "active")));
                }
                if (a.type.equals(PROXY)) {
                    state.put("arn", PROXY_ARN);
                    state.put("endpoint", "data-platform-prod.proxy-abc.eu-west-1.rds.amazonaws.com");
                }
                if (a.type.equals(ROLE) || a.type.equals(POLICY)) {
                    state.put("arn", "arn:aws:iam::123456789012:" + (a.type.equals(ROLE) ? "role/" : "policy/") + a.name);
                }
                recorded.put(a.type + " " + a.name, state);
                return CompletableFuture.completedFuture(ResourceResult.of(java.util.Optional.of(a.name + "-id"), state));
            }

            @Override
            public CompletableFuture<Map<String, Object>> callAsync(CallArgs a) {
                return CompletableFuture.completedFuture(Map.of("arn", MASTER_SECRET, "id", MASTER_SECRET, "secretId", MASTER_SECRET,
                        "versionId", "v1", "createdDate", "2026-12-01T00:00:00Z", "secretBinary", "", "versionStages", List.of("AWSCURRENT"),
                        "secretString", "{\"username\":\"platform_admin\",\"password\":\"from-rds\"}"));
            }
        };
        try {
            var result = com.pulumi.test.PulumiTest.withMocks(mocks)
                    .withOptions(com.pulumi.test.TestOptions.builder().projectName("data-platform").stackName("prod").preview(false).build())
                    .runTest(ctx -> new RdsDatabase("metadata", args, ComponentResourceOptions.Empty));
            assertEquals(List.of(), result.exceptions());
        } finally {
            com.pulumi.test.PulumiTest.cleanup();
        }
        return recorded;
    }

    @Test
    @SuppressWarnings("unchecked")
    void atDeployTimeTheProxyPoolsTheDbaKeptLoginsOnlyAndClientsNeedIam() throws Exception {
        var recorded = deploy(withProxy(POOLED).build());
        var auths = (List<Map<String, Object>>) recorded.get(PROXY + " metadata-proxy").get("auths");
        assertEquals(List.of(REPORTING_SECRET), auths.stream().map(a -> a.get("secretArn")).toList(), "no master user by default");
        assertEquals("SECRETS", auths.get(0).get("authScheme"));
        assertEquals("REQUIRED", auths.get(0).get("iamAuth"), "clients must present an IAM token");
        assertFalse(auths.get(0).containsKey("username"), "the username comes from the secret");

        var trust = JsonParser.parseString((String) recorded.get(ROLE + " metadata-proxy").get("assumeRolePolicy")).getAsJsonObject();
        var trusted = trust.getAsJsonArray("Statement").get(0).getAsJsonObject();
        assertEquals("rds.amazonaws.com", trusted.getAsJsonObject("Principal").get("Service").getAsString());
        assertEquals(ACCOUNT, trusted.getAsJsonObject("Condition").getAsJsonObject("StringEquals").get("aws:SourceAccount").getAsString(),
                "RDS may use the role for this account's requests only");
        var policy = JsonParser.parseString((String) recorded.get(ROLE_POLICY + " metadata-proxy-secrets").get("policy")).getAsJsonObject();
        var statements = policy.getAsJsonArray("Statement");
        assertEquals(1, statements.size(), "no kms statement without a CMK: " + policy);
        assertEquals(List.of(REPORTING_SECRET), strings(statements.get(0).getAsJsonObject().getAsJsonArray("Resource")),
                "the proxy's role cannot read the master secret");
        assertEquals(List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
                strings(statements.get(0).getAsJsonObject().getAsJsonArray("Action")));

        var connect = JsonParser.parseString((String) recorded.get(POLICY + " metadata-proxy-connect").get("policy")).getAsJsonObject();
        var statement = connect.getAsJsonArray("Statement").get(0).getAsJsonObject();
        assertEquals(List.of("rds-db:connect"), strings(statement.getAsJsonArray("Action")));
        assertEquals(List.of("arn:aws:rds-db:eu-west-1:123456789012:dbuser:prx-0123456789abcdef0/reporting"),
                strings(statement.getAsJsonArray("Resource")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theMasterUserIsProxiedOnlyOnRequestAndNeverInTheExportedConnectPolicy() throws Exception {
        var recorded = deploy(withProxy(new RdsProxy.Settings(50, 25, 120, POOLED.loginSecrets(), true)).kmsKeyId(KEY).build());
        var auths = (List<Map<String, Object>>) recorded.get(PROXY + " metadata-proxy").get("auths");
        assertEquals(List.of(MASTER_SECRET, REPORTING_SECRET), auths.stream().map(a -> a.get("secretArn")).toList());
        assertTrue(auths.stream().allMatch(a -> "REQUIRED".equals(a.get("iamAuth"))));
        var statements = JsonParser.parseString((String) recorded.get(ROLE_POLICY + " metadata-proxy-secrets").get("policy"))
                .getAsJsonObject().getAsJsonArray("Statement");
        assertEquals(List.of(MASTER_SECRET, REPORTING_SECRET), strings(statements.get(0).getAsJsonObject().getAsJsonArray("Resource")));
        var kms = statements.get(1).getAsJsonObject();
        assertEquals(List.of("kms:Decrypt"), strings(kms.getAsJsonArray("Action")));
        assertEquals(List.of(KEY), strings(kms.getAsJsonArray("Resource")));
        assertEquals("secretsmanager.eu-west-1.amazonaws.com", kms.getAsJsonObject("Condition")
                .getAsJsonObject("StringEquals").get("kms:ViaService").getAsString());
        var resources = strings(JsonParser.parseString((String) recorded.get(POLICY + " metadata-proxy-connect").get("policy"))
                .getAsJsonObject().getAsJsonArray("Statement").get(0).getAsJsonObject().getAsJsonArray("Resource"));
        assertEquals(List.of("arn:aws:rds-db:eu-west-1:123456789012:dbuser:prx-0123456789abcdef0/reporting"), resources,
                "applications that attach the exported policy cannot connect as the master user");
    }

    static List<String> strings(com.google.gson.JsonArray array) {
        var values = new ArrayList<String>();
        array.forEach(e -> values.add(e.getAsString()));
        return values;
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of(new RdsProxy.Settings(0, 0, 120, List.of()), null, "proxy.maxConnectionsPercent 0 is out of range; allowed: 1 to 100"),
                Arguments.of(new RdsProxy.Settings(101, 0, 120, List.of()), null, "allowed: 1 to 100"),
                Arguments.of(new RdsProxy.Settings(40, 50, 120, List.of()), null,
                        "proxy.maxIdleConnectionsPercent 50 is out of range; allowed: 0 to maxConnectionsPercent (40)"),
                Arguments.of(new RdsProxy.Settings(40, 10, 301, List.of()), null, "proxy.connectionBorrowTimeoutSeconds 301 is out of range; allowed: 0 to 300"),
                Arguments.of(new RdsProxy.Settings(40, 10, 120, List.of(new RdsProxy.LoginSecret("dagster", REPORTING_SECRET))), null,
                        "is a login of the access model: it is a member of rds_iam"),
                Arguments.of(new RdsProxy.Settings(40, 10, 120, List.of(new RdsProxy.LoginSecret("platform_admin", REPORTING_SECRET))), null,
                        "is the master user"),
                Arguments.of(new RdsProxy.Settings(40, 10, 120, List.of(new RdsProxy.LoginSecret("reporting", "reporting"))), null,
                        "is not a Secrets Manager secret ARN"),
                Arguments.of(RdsProxy.Settings.defaults(), null, "proxy.loginSecrets is empty: the proxy pools password logins"),
                Arguments.of(new RdsProxy.Settings(50, 25, 120, List.of(), true), null, "proxy.loginSecrets is empty"),
                Arguments.of(RdsProxy.Settings.defaults(), "arn:aws:kms:eu-west-1:123456789012:alias/rds",
                        "proxy.kmsKeyId 'arn:aws:kms:eu-west-1:123456789012:alias/rds' is an alias"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("badSettings")
    void badSettingsFailBeforeAnythingIsDeclared(RdsProxy.Settings settings, String kmsKeyId, String fragment) {
        var builder = withProxy(settings);
        if (kmsKeyId != null) {
            builder.kmsKeyId(kmsKeyId);
        }
        var error = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(error.getMessage().contains(fragment), error.getMessage());
    }
}
