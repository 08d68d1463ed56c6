package dev.dataplatform.pkg;

import com.pulumi.core.Output;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pulumi.provider.internal.properties.PropertyValue;
import com.pulumi.provider.internal.properties.PropertyValueSerializer;
import com.pulumi.resources.ComponentResourceOptions;
import dev.dataplatform.core.Environment;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                    Set.of("otlpGrpcEndpoint", "otlpHttpEndpoint")),
            "IcebergCatalog", List.of(Set.of("environment", "connectionName", "databaseCidr", "databaseName", "databaseLogin",
                            "passwordStore", "passwordKey", "gcpProject", "warehouseBucket"), Set.of("namespace", "allowClientsFrom"),
                    Set.of("catalogUri", "warehouse", "principalSecret")));

    /** The inputs consumers wire from other resources' outputs: Output-typed, so not {@code plain}. */
    static final Map<String, Set<String>> WIRED = Map.of(
            "CloudSqlDatabase", Set.of("privateNetwork", "adminPassword"),
            "RdsDatabase", Set.of("vpcId", "subnetIds"),
            "DagsterStack", Set.of("databaseHost", "databaseCidr", "databaseUser"),
            "IcebergCatalog", Set.of("databaseCidr"));

    static final JsonObject SCHEMA = PackageSchema.generate();

    static JsonObject resource(String name) {
        return SCHEMA.getAsJsonObject("resources").getAsJsonObject("data-platform:index:" + name);
    }

    static Set<String> names(JsonArray array) {
        var names = new TreeSet<String>();
        array.forEach(e -> names.add(e.getAsString()));
        return names;
    }

    static boolean plain(JsonObject property) {
        return property.has("plain") && property.get("plain").getAsBoolean();
    }

    @Test
    void theSchemaListsEveryComponentWithItsInputsAndOutputs() {
        var resources = SCHEMA.getAsJsonObject("resources");
        assertEquals(new TreeSet<>(EXPECTED.keySet().stream().map(n -> "data-platform:index:" + n).toList()),
                new TreeSet<>(resources.keySet()));
        EXPECTED.forEach((name, expected) -> {
            var spec = resource(name);
            var inputs = new TreeSet<String>(expected.get(0));
            inputs.addAll(expected.get(1));
            assertEquals(inputs, new TreeSet<>(spec.getAsJsonObject("inputProperties").keySet()), name + " inputs");
            assertEquals(new TreeSet<>(expected.get(0)), names(spec.getAsJsonArray("requiredInputs")), name + " required inputs");
            assertEquals(new TreeSet<>(expected.get(2)), new TreeSet<>(spec.getAsJsonObject("properties").keySet()), name + " outputs");
            assertEquals(new TreeSet<>(expected.get(2)), names(spec.getAsJsonArray("required")), name + ": every output is set");
            assertTrue(spec.get("isComponent").getAsBoolean());
        });
        assertTrue(SCHEMA.getAsJsonObject("types").has("data-platform:index:Database"));
        assertTrue(SCHEMA.getAsJsonObject("types").has("data-platform:index:Login"));
    }

    @Test
    void theVersionIsThePomsVersion() {
        assertEquals(System.getProperty("dataplatform.version"), SCHEMA.get("version").getAsString());
        assertTrue(SCHEMA.get("version").getAsString().matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?"), "semver");
        assertEquals("data-platform", SCHEMA.get("name").getAsString());
    }

    @Test
    void inputsWiredFromOtherResourcesAreOutputTypedAndTheRestArePlain() {
        EXPECTED.forEach((name, expected) -> resource(name).getAsJsonObject("inputProperties").entrySet().forEach(e -> {
            var property = e.getValue().getAsJsonObject();
            boolean wired = WIRED.getOrDefault(name, Set.of()).contains(e.getKey());
            boolean plain = plain(property) || (property.has("items") && plain(property.getAsJsonObject("items")))
                    || (property.has("additionalProperties") && plain(property.getAsJsonObject("additionalProperties")));
            assertEquals(!wired, plain, name + "." + e.getKey() + ": " + property);
        }));
    }

    @Test
    void secretsAreMarkedSecret() {
        var secrets = new TreeSet<String>();
        SCHEMA.getAsJsonObject("resources").entrySet().forEach(r -> {
            for (String side : List.of("inputProperties", "properties")) {
                r.getValue().getAsJsonObject().getAsJsonObject(side).entrySet().forEach(p -> {
                    if (p.getValue().getAsJsonObject().has("secret")) {
                        secrets.add(r.getKey().substring("data-platform:index:".length()) + "." + p.getKey());
                    }
                });
            }
        });
        assertEquals(Set.of("CloudSqlDatabase.adminPassword"), secrets);
        assertTrue(resource("CloudSqlDatabase").getAsJsonObject("inputProperties").getAsJsonObject("adminPassword")
                .get("secret").getAsBoolean());
    }

    @Test
    void everyComponentTypeAndPropertyIsDescribed() {
        var undescribed = new TreeSet<String>();
        SCHEMA.getAsJsonObject("resources").entrySet().forEach(r -> {
            var spec = r.getValue().getAsJsonObject();
            if (!spec.has("description")) {
                undescribed.add(r.getKey());
            }
            for (String side : List.of("inputProperties", "properties")) {
                spec.getAsJsonObject(side).entrySet().forEach(p -> {
                    if (!p.getValue().getAsJsonObject().has("description")) {
                        undescribed.add(r.getKey() + "." + p.getKey());
                    }
                });
            }
        });
        SCHEMA.getAsJsonObject("types").entrySet().forEach(t -> {
            var spec = t.getValue().getAsJsonObject();
            if (!spec.has("description")) {
                undescribed.add(t.getKey());
            }
            if (spec.has("properties")) {
                spec.getAsJsonObject("properties").entrySet().forEach(p -> {
                    if (!p.getValue().getAsJsonObject().has("description")) {
                        undescribed.add(t.getKey() + "." + p.getKey());
                    }
                });
            }
        });
        assertEquals(Set.of(), undescribed);
    }

    @Test
    void environmentCloudAndAccessAreEnums() {
        var types = SCHEMA.getAsJsonObject("types");
        var allowed = Map.of("Environment", List.of("dev", "stage", "prod"), "Cloud", List.of("aws", "gcp"),
                "Access", List.of("owner", "writer", "reader", "migrator"));
        allowed.forEach((name, values) -> {
            var spec = types.getAsJsonObject("data-platform:index:" + name);
            assertEquals("string", spec.get("type").getAsString());
            var actual = new java.util.ArrayList<String>();
            spec.getAsJsonArray("enum").forEach(v -> actual.add(v.getAsJsonObject().get("value").getAsString()));
            assertEquals(new TreeSet<>(values), new TreeSet<>(actual), name);
        });
        EXPECTED.keySet().forEach(name -> assertEquals("#/types/data-platform:index:Environment",
                resource(name).getAsJsonObject("inputProperties").getAsJsonObject("environment").get("$ref").getAsString(), name));
        assertEquals("#/types/data-platform:index:Cloud",
                resource("ObjectBuckets").getAsJsonObject("inputProperties").getAsJsonObject("cloud").get("$ref").getAsString());
        assertEquals("#/types/data-platform:index:Access", types.getAsJsonObject("data-platform:index:Login")
                .getAsJsonObject("properties").getAsJsonObject("access").get("$ref").getAsString());
        assertFalse(resource("ObjectBuckets").getAsJsonObject("inputProperties").getAsJsonObject("cloud").has("type"));
    }

    @Test
    void theProviderServesThisSchema() throws Exception {
        var served = new PackageProvider().getSchema(null).get().getSchema();
        assertEquals(SCHEMA, JsonParser.parseString(served));
    }

    @Test
    void withoutAnEngineAddressTheProviderHostHasNothingToDo() {
        assertEquals(java.util.Optional.empty(), ComponentPackage.engineAddress(new String[]{}));
        assertEquals(java.util.Optional.empty(), ComponentPackage.engineAddress(new String[]{"--logtostderr", "-v=9"}));
        assertEquals(java.util.Optional.of("127.0.0.1:51234"),
                ComponentPackage.engineAddress(new String[]{"--logtostderr", "--tracing", "t", "127.0.0.1:51234"}));
        // The program's arguments, handed to every module by `mvn compile exec:java` at the root: not an engine.
        assertEquals(java.util.Optional.empty(), ComponentPackage.engineAddress(new String[]{"plan", "--stack", "dev", "--json"}));
        assertEquals(java.util.Optional.empty(), ComponentPackage.engineAddress(new String[]{"a", "b"}));
    }

    @Test
    void aPackagedRdsDatabaseWithWiredVpcAndSubnetsDeclaresTheInstanceWithTheProfilesDefaults() {
        var run = Harness.preview(Environment.STAGE, ctx -> new RdsDatabase("metadata", new RdsDatabase.Args("stage",
                "eu-west-1", "metadata-stage", "vpc-0123456789abcdef0", List.of("subnet-0a1b2c3d", "subnet-4e5f6a7b"),
                List.of("sg-0123456789abcdef0"), List.of()), ComponentResourceOptions.Empty)).succeeded();
        var instance = run.resource("aws:rds/instance:Instance", "metadata");
        assertEquals("db.t3.small", instance.inputs().get("instanceClass"));
        assertEquals(List.of("subnet-0a1b2c3d", "subnet-4e5f6a7b"),
                run.resource("aws:rds/subnetGroup:SubnetGroup", "metadata").inputs().get("subnetIds"));
    }

    @Test
    void wiredInputsAreCheckedWhenTheirValuesArrive() {
        var run = Harness.preview(Environment.STAGE, ctx -> new RdsDatabase("metadata", new RdsDatabase.Args("stage",
                "eu-west-1", "metadata-stage", "not-a-vpc", List.of("subnet-0a1b2c3d", "subnet-4e5f6a7b"), List.of("sg-0123456789abcdef0"),
                List.of()),
                ComponentResourceOptions.Empty));
        var messages = String.valueOf(run.recording().exceptions()) + run.recording().engineErrors();
        assertTrue(messages.contains("RdsDatabase metadata: vpcId"), messages);
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
    void aPackagedCatalogWiresGkeWorkloadIdentity() {
        var run = Harness.preview(Environment.DEV, ctx -> new IcebergCatalog("catalog", new IcebergCatalog.Args("dev",
                "acme-data-dev:europe-west1:data-platform-dev", Output.of("10.20.0.3/32"), "polaris", "polaris",
                "gcp-secret-manager", "polaris-db-password", "acme-data-dev", "acme-lake-dev-warehouse"),
                ComponentResourceOptions.Empty)).succeeded();
        assertEquals(2, run.all("kubernetes:networking.k8s.io/v1:NetworkPolicy").stream()
                .filter(p -> p.name().startsWith("catalog-allow-gke-metadata-")).count());
        assertEquals(List.of(), run.findings(Environment.DEV).stream().filter(f -> f.severity() == dev.dataplatform.guardrails.Severity.ERROR)
                .toList());
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
