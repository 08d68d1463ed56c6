package dev.dataplatform.pkg;

import com.pulumi.core.Output;
import com.pulumi.provider.internal.Metadata;
import com.pulumi.provider.internal.infer.ComponentAnalyzer;
import com.pulumi.provider.internal.properties.PropertyValue;
import com.pulumi.provider.internal.properties.PropertyValueSerializer;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.core.Environment;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;
import org.reflections.Reflections;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The component package: Pulumi can infer every component's schema, and the components work. */
class ComponentPackageTest {
    /** Every component the package offers, with its inputs (required ones first) and outputs. */
    static final Map<String, List<Set<String>>> EXPECTED = Map.of(
            "CloudSqlDatabase", List.of(Set.of("environment", "project", "region", "privateNetwork", "instanceName"),
                    Set.of("tier", "adminPassword", "databases", "workloadServiceAccountId", "workloadNamespace",
                            "workloadKubernetesServiceAccount", "labels"),
                    Set.of("connectionName", "privateIp", "serviceAccountEmail", "iamUser")),
            "RdsDatabase", List.of(Set.of("environment", "region", "identifier", "vpcId", "subnetIds"),
                    Set.of("allowedSecurityGroupIds", "instanceClass", "databases", "tags"),
                    Set.of("address", "port", "resourceId", "masterSecretArn")),
            "ObjectBuckets", List.of(Set.of("environment", "cloud", "prefix"),
                    Set.of("gcpProject", "location", "warehouse", "ingestion", "transformer", "readers"),
                    Set.of("bucketNames", "bucketIds")),
            "StackGresTenant", List.of(Set.of("environment", "awsAccountId", "awsRegion", "oidcProvider"),
                    Set.of("appNamespace", "extensions", "backupBucket", "backupEndpoint", "backupCredentialsParameter", "decommission"),
                    Set.of("namespace", "clusterName", "host", "port", "ssmParameter", "secretName")),
            "DagsterStack", List.of(Set.of("environment", "chartVersion", "databaseHost", "databaseCidr", "databaseName",
                            "databaseUser", "passwordStore", "passwordKey"), Set.of("namespace", "maxConcurrentRuns"),
                    Set.of("webserverUrl")),
            "ObservabilityStack", List.of(Set.of("environment", "collectorChartVersion"),
                    Set.of("exportEndpoint", "exportHeaderName", "exportSecretName", "exportSecretKey", "telemetryClients"),
                    Set.of("otlpGrpcEndpoint", "otlpHttpEndpoint")));

    @Test
    void theInferredSchemaListsEveryComponentWithItsInputsAndOutputs() {
        // As the provider host finds them: every ComponentResource in the package.
        var classes = new Reflections(ComponentPackage.class.getPackageName())
                .getSubTypesOf(com.pulumi.resources.ComponentResource.class);
        var schema = ComponentAnalyzer.generateSchema(new Metadata(ComponentPackage.NAME), classes.toArray(Class<?>[]::new));
        var resources = schema.getResources();
        assertEquals(new TreeSet<>(EXPECTED.keySet().stream().map(n -> "data-platform:index:" + n).toList()),
                new TreeSet<>(resources.keySet()));
        EXPECTED.forEach((name, expected) -> {
            var spec = resources.get("data-platform:index:" + name);
            var inputs = new TreeSet<String>(expected.get(0));
            inputs.addAll(expected.get(1));
            assertEquals(inputs, new TreeSet<>(spec.getInputProperties().keySet()), name + " inputs");
            assertEquals(new TreeSet<>(expected.get(0)), new TreeSet<>(spec.getRequiredInputs()), name + " required inputs");
            assertEquals(new TreeSet<>(expected.get(2)), new TreeSet<>(spec.getProperties().keySet()), name + " outputs");
        });
        assertTrue(schema.getTypes().containsKey("data-platform:index:Database"), schema.getTypes().keySet().toString());
        assertTrue(schema.getTypes().containsKey("data-platform:index:Login"), schema.getTypes().keySet().toString());
    }

    @Test
    void inputsFromAnotherLanguageDeserializeIntoTheArgs() throws Exception {
        var args = PropertyValueSerializer.deserialize(PropertyValue.of(Map.of(
                "environment", PropertyValue.of("prod"),
                "awsAccountId", PropertyValue.of("123456789012"),
                "awsRegion", PropertyValue.of("eu-west-1"),
                "oidcProvider", PropertyValue.of("oidc.eks.eu-west-1.amazonaws.com/id/ABC"),
                "extensions", PropertyValue.of(List.of(PropertyValue.of("postgis"))),
                "backupBucket", PropertyValue.of("acme-backups"),
                "backupEndpoint", PropertyValue.of("https://x.r2.cloudflarestorage.com"),
                "backupCredentialsParameter", PropertyValue.of("/platform/prod/r2"))), StackGresTenant.Args.class);
        var typed = args.toArgs("initech");
        assertEquals("initech", typed.client());
    }

    @Test
    void aPackagedTenantDeclaresTheJavaComponentUnderIt() {
        var run = Harness.preview(Environment.PROD, ctx -> {
            var tenant = new StackGresTenant("initech", new StackGresTenant.Args("prod", "123456789012", "eu-west-1",
                    "oidc.eks.eu-west-1.amazonaws.com/id/ABC").backups("acme-backups", "https://x.r2.cloudflarestorage.com",
                    "/platform/prod/r2"), ComponentResourceOptions.Empty);
            ctx.export("ssmParameter", tenant.ssmParameter);
        }).succeeded();
        var outer = run.resource("data-platform:index:StackGresTenant", "initech");
        var inner = run.resource(dev.dataplatform.stackgres.StackGresTenant.TYPE, "initech");
        assertEquals(outer.urn(), inner.parent());
        assertTrue(run.resource("kubernetes:stackgres.io/v1:SGCluster", "initech-cluster").options().protect());
        assertEquals("/initech/prod/database/url", run.output("ssmParameter"));
        assertEquals(List.of(), run.findings(Environment.PROD));
    }

    @Test
    void aPackagedCloudSqlDatabaseKeepsItsSecretPasswordSecret() {
        var run = Harness.preview(Environment.DEV, ctx -> new CloudSqlDatabase("catalog",
                new CloudSqlDatabase.Args("dev", "acme-data-dev", "europe-west1", "projects/acme-data-dev/global/networks/data",
                        "catalog-dev").databases(List.of(new DatabaseArgs("pgstac", List.of("postgis"),
                        List.of(new DatabaseArgs.LoginArgs("migrator", "owner")))), Output.of("hunter2"))
                        .workload("data-workloads", "data-apps", "dagster"),
                ComponentResourceOptions.Empty)).succeeded();
        assertTrue(run.findings(Environment.DEV).stream().noneMatch(f -> f.rule().equals("no-plaintext-secrets")),
                run.findings(Environment.DEV).toString());
    }

    @Test
    void badEnvironmentsAndAccessLevelsAreClearErrors() {
        var environment = assertThrows(IllegalArgumentException.class,
                () -> new ObservabilityStack.Args("production", "0.108.0").toArgs());
        assertEquals("ObservabilityStack: environment 'production' is not valid; allowed: dev, stage, prod", environment.getMessage());
        var access = assertThrows(IllegalArgumentException.class, () -> new DatabaseArgs("db", List.of(),
                List.of(new DatabaseArgs.LoginArgs("x", "admin"))).model());
        assertTrue(access.getMessage().contains("access 'admin' is not valid; allowed: owner, writer, reader"));
    }
}
