package dev.dataplatform.aws;

import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.access.Access;
import dev.dataplatform.access.DatabaseModel;
import dev.dataplatform.access.Login;
import dev.dataplatform.core.Environment;
import dev.dataplatform.guardrails.Finding;
import dev.dataplatform.postgresql.GrantRole;
import dev.dataplatform.postgresql.Provider;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RdsDatabaseTest {
    static final String INSTANCE = "aws:rds/instance:Instance";

    static RdsDatabase.Args.Builder prod() {
        return RdsDatabase.Args.builder()
                .identifier("data-platform-prod")
                .instanceClass("db.t3.medium")
                .maxAllocatedStorageGb(500)
                .vpcId("vpc-0a1b2c3d4e5f67890")
                .subnetIds(List.of("subnet-0a1b2c3d4e5f67890", "subnet-0b1b2c3d4e5f67890"))
                .allowedSecurityGroupIds(List.of("sg-0a1b2c3d4e5f67890"))
                .allowedCidrs(List.of("10.20.0.0/16"))
                .multiAz(true)
                .deletionProtection(true)
                .protect(true)
                .backupRetentionDays(14)
                .tags(Map.of("environment", "prod"))
                .region("eu-west-1")
                .accountId("123456789012")
                .ssmParameterName("/data-platform/prod/database/connection")
                .databases(List.of(new DatabaseModel("metadata", List.of(), List.of("postgis"), false,
                        List.of(new Login("dagster", Access.WRITER), new Login("catalog_api", Access.READER)))));
    }

    static Harness.Run run(Environment environment, RdsDatabase.Args args) {
        return Harness.preview(environment, ctx -> {
            var db = new RdsDatabase("metadata", args, ComponentResourceOptions.Empty);
            ctx.export("masterSecretArn", db.masterSecretArn);
            ctx.export("databases", db.databases);
        }).succeeded();
    }

    @Test
    void prodRdsIsMultiAzProtectedEncryptedAndPassesTheGuardrails() {
        var run = run(Environment.PROD, prod().build());
        var instance = run.resource(INSTANCE, "metadata");
        assertEquals(true, instance.inputs().get("multiAz"));
        assertEquals(true, instance.inputs().get("deletionProtection"));
        assertEquals(false, instance.inputs().get("skipFinalSnapshot"));
        assertEquals("data-platform-prod-final", instance.inputs().get("finalSnapshotIdentifier"));
        assertTrue(instance.options().protect());
        assertEquals(true, instance.inputs().get("storageEncrypted"));
        assertEquals(false, instance.inputs().get("publiclyAccessible"));
        assertEquals(List.of(), run.findings(Environment.PROD));
    }

    @Test
    void noPasswordInConfigOrCodeIamAuthOnAndTheMasterSecretIsManagedByRds() {
        var run = run(Environment.PROD, prod().build());
        var instance = run.resource(INSTANCE, "metadata");
        assertEquals(true, instance.inputs().get("manageMasterUserPassword"));
        assertEquals(true, instance.inputs().get("iamDatabaseAuthenticationEnabled"));
        assertFalse(instance.inputs().containsKey("password"));
        assertEquals("[unknown]", run.output("masterSecretArn"));
    }

    @Test
    void theProviderLogsInAsTheMasterUserWithTheManagedSecretOverVerifiedTls() {
        var run = run(Environment.PROD, prod().build());
        var provider = run.resource(Provider.TYPE, "metadata-access");
        assertEquals("awspostgres", provider.inputs().get("scheme"), "TLS verified against the RDS CA bundle");
        assertEquals("platform_admin", provider.inputs().get("username"));
        assertEquals("[unknown]", provider.inputs().get("password"),
                "read from Secrets Manager at deploy time: offline the secret's ARN is unknown, so the invoke is not even called");
        assertFalse(provider.inputs().containsKey("awsRdsIamAuth"), "the master user is not in rds_iam on a new instance");
        assertFalse(provider.inputs().containsKey("sslmode"), "the awspostgres scheme ignores sslmode");
        assertEquals("[unknown]", provider.inputs().get("host"), "the instance's address: the provider waits for the instance");
    }

    /**
     * The deploy-time half, which the offline engine never runs: once the instance exists, the
     * program reads the secret RDS names in masterUserSecrets and hands on only its password, as a
     * Pulumi secret. The SDK's test engine (not a preview) answers the instance and the one invoke.
     */
    @Test
    void atDeployTimeThePasswordIsReadFromTheManagedSecretAsAPulumiSecret() throws Exception {
        String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf";
        var invoked = new java.util.ArrayList<String>();
        var mocks = new com.pulumi.test.Mocks() {
            @Override
            public java.util.concurrent.CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
                var state = new java.util.HashMap<String, Object>(args.inputs);
                if (args.type.equals(INSTANCE)) {
                    state.put("masterUserSecrets", List.of(Map.of("secretArn", arn, "secretStatus", "active")));
                }
                return java.util.concurrent.CompletableFuture.completedFuture(ResourceResult.of(java.util.Optional.of(args.name + "-id"), state));
            }

            @Override
            public java.util.concurrent.CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
                invoked.add(args.token + " " + args.args.get("secretId"));
                return java.util.concurrent.CompletableFuture.completedFuture(Map.of("arn", arn, "id", arn, "secretId", arn,
                        "versionId", "v1", "createdDate", "2026-12-01T00:00:00Z", "secretBinary", "", "versionStages", List.of("AWSCURRENT"),
                        "secretString", "{\"username\":\"platform_admin\",\"password\":\"s3cr3t-from-rds\"}"));
            }
        };
        var password = new java.util.concurrent.atomic.AtomicReference<com.pulumi.core.Output<String>>();
        try {
            var result = com.pulumi.test.PulumiTest.withMocks(mocks)
                    .withOptions(com.pulumi.test.TestOptions.builder().projectName("data-platform").stackName("prod").preview(false).build())
                    .runTest(ctx -> {
                        var instance = new com.pulumi.aws.rds.Instance("metadata", com.pulumi.aws.rds.InstanceArgs.builder()
                                .instanceClass("db.t3.medium").manageMasterUserPassword(true).build());
                        password.set(RdsDatabase.masterPassword(instance, instance));
                    });
            assertEquals(List.of(), result.exceptions());
            var data = com.pulumi.test.internal.PulumiTestInternal.extractOutputData(password.get());
            assertTrue(data.isKnown());
            assertTrue(data.isSecret(), "the password travels as a Pulumi secret");
            assertEquals("s3cr3t-from-rds", data.getValueNullable());
            assertEquals(List.of("aws:secretsmanager/getSecretVersion:getSecretVersion " + arn), invoked);
        } finally {
            com.pulumi.test.PulumiTest.cleanup();
        }
    }

    @Test
    void thePasswordIsTheFieldOfTheJsonRdsWritesAndErrorsNeverRepeatTheSecret() {
        assertEquals("p@ss:w0rd", RdsDatabase.passwordOf("{\"username\":\"platform_admin\",\"password\":\"p@ss:w0rd\"}"));
        var missing = assertThrows(IllegalStateException.class, () -> RdsDatabase.passwordOf("{\"username\":\"x\"}"));
        assertTrue(missing.getMessage().contains("no \"password\" field"));
        var notJson = assertThrows(IllegalStateException.class, () -> RdsDatabase.passwordOf("hunter2-not-json"));
        assertFalse(notJson.getMessage().contains("hunter2"), notJson.getMessage());
    }

    @Test
    void storageIsGp3WithAutoscalingAndOperationsAreObservable() {
        var instance = run(Environment.PROD, prod().build()).resource(INSTANCE, "metadata");
        assertEquals("gp3", instance.inputs().get("storageType"));
        assertEquals(20L, instance.inputs().get("allocatedStorage"));
        assertEquals(500L, instance.inputs().get("maxAllocatedStorage"));
        assertEquals(14L, instance.inputs().get("backupRetentionPeriod"));
        assertEquals(true, instance.inputs().get("copyTagsToSnapshot"));
        assertEquals(true, instance.inputs().get("autoMinorVersionUpgrade"));
        assertEquals(true, instance.inputs().get("performanceInsightsEnabled"));
        assertEquals(60L, instance.inputs().get("monitoringInterval"));
        assertEquals(List.of("postgresql", "upgrade"), instance.inputs().get("enabledCloudwatchLogsExports"));
        assertEquals("16", instance.inputs().get("engineVersion"));
    }

    @Test
    void theParameterGroupForcesTlsForTheVersionsFamily() {
        var run = run(Environment.PROD, prod().engineVersion("16.4").parameters(Map.of("work_mem", "65536")).build());
        var group = run.resource("aws:rds/parameterGroup:ParameterGroup", "metadata");
        assertEquals("postgres16", group.inputs().get("family"));
        @SuppressWarnings("unchecked")
        var parameters = ((List<Map<String, Object>>) group.inputs().get("parameters")).stream()
                .collect(java.util.stream.Collectors.toMap(p -> (String) p.get("name"), p -> p.get("value")));
        assertEquals("1", parameters.get("rds.force_ssl"));
        assertEquals("65536", parameters.get("work_mem"));
        assertEquals("1000", parameters.get("log_min_duration_statement"));
        assertEquals(group.inputs().get("name"), run.resource(INSTANCE, "metadata").inputs().get("parameterGroupName"));
    }

    @Test
    void port5432IsOpenOnlyToTheGivenGroupsAndRanges() {
        var run = run(Environment.PROD, prod().build());
        var rules = run.all("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assertEquals(2, rules.size());
        for (var rule : rules) {
            assertEquals(5432L, rule.inputs().get("fromPort"));
            assertEquals(5432L, rule.inputs().get("toPort"));
        }
        assertEquals(List.of("10.20.0.0/16"), rules.stream().map(r -> r.inputs().get("cidrIpv4")).filter(java.util.Objects::nonNull).toList());
        assertEquals(List.of("sg-0a1b2c3d4e5f67890"),
                rules.stream().map(r -> r.inputs().get("referencedSecurityGroupId")).filter(java.util.Objects::nonNull).toList());
        assertEquals(List.of("subnet-0a1b2c3d4e5f67890", "subnet-0b1b2c3d4e5f67890"),
                run.input("aws:rds/subnetGroup:SubnetGroup", "metadata", "subnetIds"));
    }

    @Test
    void enhancedMonitoringHasItsOwnRoleWithTheAwsManagedMonitoringPolicyOnly() {
        var run = run(Environment.PROD, prod().build());
        var attachment = run.resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "metadata-monitoring");
        assertEquals(RdsDatabase.MONITORING_POLICY, attachment.inputs().get("policyArn"));
        assertTrue(String.valueOf(run.input("aws:iam/role:Role", "metadata-monitoring", "assumeRolePolicy"))
                .contains("monitoring.rds.amazonaws.com"));
        assertTrue(run.resource(INSTANCE, "metadata").options().dependsOn().contains(attachment.urn()),
                "RDS checks the role's permissions at create time: the instance waits for the attachment");
        var off = run(Environment.DEV, prod().monitoringIntervalSeconds(0).build());
        assertEquals(0, off.count("aws:iam/role:Role"));
    }

    @Test
    void loginsUseIamTokensAndJoinTheirRoles() {
        var run = run(Environment.PROD, prod().build());
        for (String login : List.of("dagster", "catalog_api")) {
            var membership = run.resource(GrantRole.TYPE, "metadata-access-member-" + login + "-in-rds_iam");
            assertEquals("rds_iam", membership.inputs().get("grantRole"));
            assertEquals(run.resource(Provider.TYPE, "metadata-access").urn(), membership.options().provider());
        }
        run.resource(GrantRole.TYPE, "metadata-access-member-dagster-in-metadata_writer");
        run.resource(GrantRole.TYPE, "metadata-access-member-catalog_api-in-metadata_reader");
        assertEquals(List.of("metadata"), run.output("databases"));
    }

    @Test
    void theSsmParameterHoldsConnectionDetailsWithoutAPassword() {
        var run = run(Environment.PROD, prod().build());
        var parameter = run.resource("aws:ssm/parameter:Parameter", "metadata-connection");
        assertEquals("/data-platform/prod/database/connection", parameter.inputs().get("name"));
        assertEquals("String", parameter.inputs().get("type"));
        assertEquals("[unknown]", parameter.inputs().get("value"), "built from the address, known after creation");
    }

    @Test
    void theMonitoringRoleTrustsRdsForThisAccountOnly() {
        var run = run(Environment.PROD, prod().monitoringIntervalSeconds(60).build());
        var trust = com.google.gson.JsonParser.parseString((String) run.input("aws:iam/role:Role", "metadata-monitoring",
                "assumeRolePolicy")).getAsJsonObject().getAsJsonArray("Statement").get(0).getAsJsonObject();
        assertEquals("monitoring.rds.amazonaws.com", trust.getAsJsonObject("Principal").get("Service").getAsString());
        assertEquals("123456789012", trust.getAsJsonObject("Condition").getAsJsonObject("StringEquals")
                .get("aws:SourceAccount").getAsString());
        // Without the account the trust has no condition, and the guardrail says so.
        var open = run(Environment.PROD, prod().accountId(null).monitoringIntervalSeconds(60).build());
        assertEquals(List.of("iam-trust-exact"), open.findings(Environment.PROD).stream().map(Finding::rule).distinct().toList());
    }

    @Test
    void devSkipsTheFinalSnapshotAndIsNotProtected() {
        var run = run(Environment.DEV, prod().multiAz(false).deletionProtection(false).protect(false).backupRetentionDays(1)
                .ssmParameterName(null).build());
        var instance = run.resource(INSTANCE, "metadata");
        assertEquals(true, instance.inputs().get("skipFinalSnapshot"));
        assertFalse(instance.inputs().containsKey("finalSnapshotIdentifier"));
        assertEquals(List.of(), run.findings(Environment.DEV));
        var rules = run.findings(Environment.PROD).stream().map(Finding::rule).distinct().sorted().toList();
        assertEquals(List.of("database-deletion-protection", "database-high-availability", "stateful-protected"), rules);
    }

    @Test
    void aCustomerManagedKeyEncryptsStorageSecretAndInsights() {
        String key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var instance = run(Environment.PROD, prod().kmsKeyId(key).build()).resource(INSTANCE, "metadata");
        assertEquals(key, instance.inputs().get("kmsKeyId"));
        assertEquals(key, instance.inputs().get("masterUserSecretKmsKeyId"));
        assertEquals(key, instance.inputs().get("performanceInsightsKmsKeyId"));
    }

    static Arguments bad(String description, Consumer<RdsDatabase.Args.Builder> change, String fragment) {
        return Arguments.of(description, change, fragment);
    }

    static Stream<Arguments> badArgs() {
        return Stream.of(
                bad("identifier with upper case", b -> b.identifier("Data-Platform"), "identifier 'Data-Platform' is not valid"),
                bad("identifier with --", b -> b.identifier("data--platform"), "no '--'"),
                bad("identifier too long for its monitoring role", b -> b.identifier("a".repeat(50)),
                        "allowed: at most 49 characters with enhanced monitoring"),
                bad("identifier too long for the proxy role", b -> b.identifier("a".repeat(55)).monitoringIntervalSeconds(0)
                        .proxy(RdsProxy.Settings.defaults()), "allowed: at most 54 characters with the proxy"),
                bad("bad instance class", b -> b.instanceClass("t3.medium"), "instanceClass 't3.medium' is not valid"),
                bad("bad engine version", b -> b.engineVersion("9.6"), "engineVersion '9.6' is not valid"),
                bad("missing VPC", b -> b.vpcId(null), "vpcId is required"),
                bad("one subnet", b -> b.subnetIds(List.of("subnet-0a1b2c3d4e5f67890")), "at least 2 private subnets"),
                bad("bad subnet", b -> b.subnetIds(List.of("subnet-1", "subnet-2")), "subnetIds 'subnet-1' is not valid"),
                bad("public CIDR", b -> b.allowedCidrs(List.of("0.0.0.0/0")), "'0.0.0.0/0' is not inside a private range"),
                bad("malformed CIDR", b -> b.allowedCidrs(List.of("10.0.0.0")), "'10.0.0.0' is not valid; allowed: an IPv4 network"),
                bad("a /0 whose text starts like a private range", b -> b.allowedCidrs(List.of("10.0.0.0/0")),
                        "'10.0.0.0/0' is not inside a private range"),
                bad("a /1 that reaches the internet", b -> b.allowedCidrs(List.of("192.168.0.0/1")), "is not inside a private range"),
                bad("host bits", b -> b.allowedCidrs(List.of("10.20.0.5/16")), "has host bits set; write the network: 10.20.0.0/16"),
                bad("octets out of range", b -> b.allowedCidrs(List.of("999.999.999.999/32")), "is not valid"),
                bad("172 outside its /12", b -> b.allowedCidrs(List.of("172.32.0.0/16")), "is not inside a private range"),
                bad("nobody allowed", b -> b.allowedCidrs(List.of()).allowedSecurityGroupIds(List.of()), "nobody could connect"),
                bad("bad security group", b -> b.allowedSecurityGroupIds(List.of("sg-x")), "allowedSecurityGroupIds 'sg-x' is not valid"),
                bad("reserved master user", b -> b.masterUsername("postgres"), "'postgres' is reserved by RDS"),
                bad("storage ceiling below size", b -> b.allocatedStorageGb(100).maxAllocatedStorageGb(50), "maxAllocatedStorageGb 50 is out of range"),
                bad("too small storage", b -> b.allocatedStorageGb(10), "allocatedStorageGb 10 is out of range"),
                bad("retention too long", b -> b.backupRetentionDays(40), "allowed: 1 to 35"),
                bad("bad backup window", b -> b.backupWindow("2am"), "backupWindow '2am' is not valid"),
                bad("bad maintenance window", b -> b.maintenanceWindow("sunday 3am"), "maintenanceWindow 'sunday 3am' is not valid"),
                bad("bad monitoring interval", b -> b.monitoringIntervalSeconds(7), "monitoringIntervalSeconds 7 is not valid"),
                bad("TLS off", b -> b.parameters(Map.of("rds.force_ssl", "0")), "rds.force_ssl cannot be 0"),
                bad("bad KMS key", b -> b.kmsKeyId("my-key"), "kmsKeyId 'my-key' is not valid"),
                bad("bad SSM name", b -> b.ssmParameterName("database-url"), "ssmParameterName 'database-url' is not valid"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArgs")
    void badArgsAreRejected(String description, Consumer<RdsDatabase.Args.Builder> change, String fragment) {
        var builder = prod();
        change.accept(builder);
        var error = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(error.getMessage().contains(fragment), description + ": " + error.getMessage());
    }
}
