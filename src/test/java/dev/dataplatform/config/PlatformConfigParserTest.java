package dev.dataplatform.config;

import dev.dataplatform.core.EnvironmentProfile;
import com.google.gson.Gson;
import com.pulumi.core.Output;
import dev.dataplatform.core.Environment;
import dev.dataplatform.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlatformConfigParserTest {

    static PlatformConfig parse(String stack, String yaml) {
        return PlatformConfigParser.parse(StackFile.parse(StackFile.fileName(stack), stack, yaml));
    }

    static Arguments bad(String stack, String yaml, String path, String fragment) {
        return Arguments.of(stack, yaml, path, fragment);
    }

    static Stream<Arguments> badInputs() {
        return Stream.concat(pgstacBadInputs(), Stream.of(
                bad("dev", "config: {}", "data-platform:environment", "is required; allowed: dev, stage, prod"),
                bad("dev", "config:\n  data-platform:environment: production", "data-platform:environment",
                        "'production' is not allowed; allowed: dev, stage, prod"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:enviroment: dev",
                        "data-platform:enviroment", "unknown key (did you mean 'environment'?)"),
                bad("dev", "config:\n  data-platform:environment: {name: dev}", "data-platform:environment", "must be a string"),
                bad("dev", "config:\n  data-platform:environment:\n    secure: v1:abc", "data-platform:environment",
                        "is a secret but must be plain text"),
                bad("prod", "config:\n  data-platform:environment: dev", "data-platform:environment",
                        "a stack named after an environment must deploy that environment"),
                bad("org/data-platform/prod", "config:\n  data-platform:environment: stage", "data-platform:environment",
                        "stack is named 'prod'"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:profile:\n    backupRetentionDay: 7",
                        "data-platform:profile.backupRetentionDay", "unknown key (did you mean 'backupRetentionDays'?)"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:profile: 7",
                        "data-platform:profile", "must be an object"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:profile:\n    backupRetentionDays: 40",
                        "data-platform:profile.backupRetentionDays", "40 is out of range; allowed: 1 to 35"),
                bad("stage", "config:\n  data-platform:environment: stage\n  data-platform:profile:\n    backupRetentionDays: 3",
                        "data-platform:profile.backupRetentionDays", "allowed: 7 to 35"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:profile:\n    backupRetentionDays: weekly",
                        "data-platform:profile.backupRetentionDays", "must be a whole number from 1 to 35"),
                bad("prod", "config:\n  data-platform:environment: prod\n  data-platform:profile:\n    protect: false",
                        "data-platform:profile.protect", "false is allowed only in dev"),
                bad("stage", "config:\n  data-platform:environment: stage\n  data-platform:profile:\n    deletionProtection: false",
                        "data-platform:profile.deletionProtection", "false is allowed only in dev"),
                bad("prod", "config:\n  data-platform:environment: prod\n  data-platform:profile:\n    pointInTimeRecovery: false",
                        "data-platform:profile.pointInTimeRecovery", "needs point-in-time recovery"),
                bad("prod", "config:\n  data-platform:environment: prod\n  data-platform:profile:\n    highAvailability: false",
                        "data-platform:profile.highAvailability", "not allowed in prod"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:profile:\n    highAvailability: yes please",
                        "data-platform:profile.highAvailability", "must be true or false"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:labels:\n    Team: data",
                        "data-platform:labels.Team", "key 'Team' is not valid; allowed: 1-63 lower-case letters"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:labels:\n    team: Data Platform",
                        "data-platform:labels.team", "'Data Platform' is not valid"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:labels:\n    environment: qa",
                        "data-platform:labels.environment", "is set by the program"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:labels: [team]",
                        "data-platform:labels", "must be an object"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:labels:\n    team: {name: x}",
                        "data-platform:labels.team", "must be a plain string"),
                bad("dev", "config:\n  data-platform:environment: dev\n  gpc:project: acme", "gpc:project",
                        "unknown namespace 'gpc' (did you mean 'gcp'?)"),
                bad("dev", "config:\n  environment: dev", "environment", "must be namespaced, e.g. data-platform:environment"),
                bad("dev", "config:\n  data-platform:environment: dev\n  aws:secretKey: wJalrXUtnFEMI", "aws:secretKey",
                        "holds a secret in plain text; set it with `pulumi config set --secret"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:observability:\n    apiToken: abc",
                        "data-platform:observability.apiToken", "holds a secret in plain text"),
                bad("dev", "configs:\n  data-platform:environment: dev", "configs", "unknown top-level key"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:environment: prod", "(file)",
                        "is not valid YAML"),
                bad("dev", "config: [1, 2]", "config", "must be a mapping"),
                bad("dev", cloudSql(""), "data-platform:cloudSql.privateNetwork", "is required; allowed: projects/<project>/global/networks/<network>"),
                bad("dev", cloudSql("    privatNetwork: x\n"), "data-platform:cloudSql.privatNetwork", "unknown key (did you mean 'privateNetwork'?)"),
                bad("dev", cloudSql(NETWORK + "    tier: db-custom-3-7680\n"), "data-platform:cloudSql.tier", "has 3 vCPUs"),
                bad("dev", cloudSql(NETWORK + "    tier: large\n"), "data-platform:cloudSql.tier", "'large' is not a tier"),
                bad("prod", cloudSql(NETWORK + "    tier: db-g1-small\n").replace("environment: dev", "environment: prod"),
                        "data-platform:cloudSql.tier", "shared-core (no SLA): allowed only in dev"),
                bad("dev", cloudSql(NETWORK.replace("project: acme-data-dev", "project: Acme")), "data-platform:cloudSql.project", "'Acme' is not valid"),
                bad("dev", cloudSql(NETWORK + "    databaseVersion: POSTGRES_9_6\n"), "data-platform:cloudSql.databaseVersion", "POSTGRES_13 to POSTGRES_17"),
                bad("dev", cloudSql(NETWORK + "    maintenanceWindow: {day: 9, hour: 3}\n"), "data-platform:cloudSql.maintenanceWindow.day",
                        "9 is out of range; allowed: 1 to 7"),
                bad("dev", cloudSql(NETWORK + "    diskSizeGb: 100\n    diskAutoresizeLimitGb: 50\n"),
                        "data-platform:cloudSql.diskAutoresizeLimitGb", "50 is below diskSizeGb (100)"),
                bad("dev", cloudSql(NETWORK + "    flags: {cloudsql.iam_authentication: \"off\"}\n"),
                        "data-platform:cloudSql.flags.cloudsql.iam_authentication", "cannot be off"),
                bad("dev", cloudSql(NETWORK + "    adminPassword: hunter2\n" + DATABASES + WORKLOAD),
                        "data-platform:cloudSql.adminPassword", "holds a secret in plain text"),
                bad("dev", cloudSql(NETWORK + DATABASES), "data-platform:cloudSql.workloads", "is required with databases"),
                bad("dev", cloudSql(NETWORK + DATABASES + "    workload:\n      serviceAccountId: data-workloads\n"),
                        "data-platform:cloudSql.workload", "was replaced by cloudSql.workloads (one identity per workload)"),
                bad("dev", cloudSql(NETWORK + DATABASES + WORKLOAD.replace("serviceAccountId: dp-pgstac-migrator", "serviceAccountId: dagster-wl")),
                        "data-platform:cloudSql.workloads.pgstac-migrator.serviceAccountId",
                        "'dagster-wl' is also cloudSql.workloads.dagster's: each workload needs a Google service account of its own"),
                bad("dev", cloudSql(NETWORK + DATABASES + WORKLOAD.replace("serviceAccountId: dp-pgstac-migrator", "serviceAccountId: iceberg-catalog")),
                        "data-platform:cloudSql.workloads.pgstac-migrator.serviceAccountId",
                        "'iceberg-catalog' is the service account of Polaris (data-platform:icebergCatalog): each workload needs one of its own"),
                bad("dev", cloudSql(NETWORK + DATABASES + WORKLOAD.replace("namespace: pgstac-migrations\n        kubernetesServiceAccount: pgstac-migrator",
                                "namespace: data-apps\n        kubernetesServiceAccount: dagster")),
                        "data-platform:cloudSql.workloads.pgstac-migrator.kubernetesServiceAccount",
                        "data-apps/dagster is also cloudSql.workloads.dagster's: a Kubernetes ServiceAccount acts as one Google service account"),
                bad("dev", cloudSql(NETWORK + DATABASES + WORKLOAD.replace("kubernetesServiceAccount: dagster\n",
                                "kubernetesServiceAccount: dagster\n        databases: {catalog: writer}\n")),
                        "data-platform:cloudSql.workloads.dagster.databases.catalog", "'catalog' is not a database of cloudSql.databases; allowed: pgstac"),
                bad("dev", cloudSql(NETWORK + DATABASES + WORKLOAD.replace("kubernetesServiceAccount: dagster\n",
                                "kubernetesServiceAccount: dagster\n        databases: {pgstac: migrator}\n")),
                        "data-platform:cloudSql.workloads.dagster.databases.pgstac", "'migrator' is not valid; allowed: owner, writer, reader"),
                bad("dev", cloudSql(NETWORK + DATABASES + WORKLOAD.replace("kubernetesServiceAccount: dagster\n",
                                "kubernetesServiceAccount: dagster\n        adoptsSharedWorkload: true\n")
                                .replace("kubernetesServiceAccount: pgstac-migrator\n", "kubernetesServiceAccount: pgstac-migrator\n        adoptsSharedWorkload: true\n")),
                        "data-platform:cloudSql.workloads", "adoptsSharedWorkload is set on dagster, pgstac-migrator; allowed: one workload"),
                bad("dev", cloudSql(NETWORK + "    adminPassword: {secure: v1:abc}\n" + DATABASES
                                + WORKLOAD.substring(0, WORKLOAD.indexOf("      pgstac-migrator:"))),
                        "data-platform:pgstacMigration", "reaches Cloud SQL through the Auth Proxy with a Google service account of its own: "
                                + "configure data-platform:cloudSql.workloads.pgstac-migrator {serviceAccountId, namespace: pgstac-migrations, "
                                + "kubernetesServiceAccount: pgstac-migrator}"),
                bad("dev", cloudSql(NETWORK + DATABASES + WORKLOAD.replace("namespace: pgstac-migrations", "namespace: pgstac")),
                        "data-platform:pgstacMigration", "runs as ServiceAccount pgstac-migrations/pgstac-migrator but "
                                + "cloudSql.workloads.pgstac-migrator names pgstac/pgstac-migrator"),
                bad("dev", cloudSql(NETWORK + DATABASES + WORKLOAD.replace("      pgstac-migrator:\n", "      Pgstac_Migrator:\n")),
                        "data-platform:cloudSql.workloads.Pgstac_Migrator", "workload name 'Pgstac_Migrator' is not valid"),
                bad("dev", cloudSql(NETWORK + "    databases:\n      - name: Catalog\n" + WORKLOAD),
                        "data-platform:cloudSql.databases[0].name", "'Catalog' is not valid"),
                bad("dev", cloudSql(NETWORK + "    databases:\n      - name: postgres\n" + WORKLOAD),
                        "data-platform:cloudSql.databases[0]", "database name 'postgres' is reserved"),
                bad("dev", cloudSql(NETWORK + "    databases:\n      - name: a\n      - name: a\n" + WORKLOAD),
                        "data-platform:cloudSql.databases", "database 'a' is listed twice"),
                bad("dev", cloudSql(NETWORK + "    databases:\n      - name: a\n        extensions: [post gis]\n" + WORKLOAD),
                        "data-platform:cloudSql.databases[0].extensions[0]", "'post gis' is not valid"),
                bad("dev", cloudSql(NETWORK + DATABASES + WORKLOAD.replace("kubernetesServiceAccount: dagster", "kubernetesServiceAccount: Dagster_SA")),
                        "data-platform:cloudSql.workloads.dagster.kubernetesServiceAccount", "'Dagster_SA' is not valid; allowed: a DNS-1123 label"),
                bad("dev", buckets(""), "data-platform:buckets.cloud", "is required; allowed: aws, gcp"),
                bad("dev", buckets("    cloud: aws\n    prefix: lake\n    warehouse: true\n    warehouseAccess: catalog\n"),
                        "data-platform:buckets.warehouseAccess", "catalog: only data-platform:icebergCatalog would reach the warehouse, "
                                + "and the stack has none; allowed: direct"),
                bad("dev", buckets("    cloud: aws\n    prefix: lake\n    warehouseAccess: direct\n"),
                        "data-platform:buckets.warehouseAccess", "applies with warehouse: true only"),
                bad("dev", buckets("    cloud: aws\n    prefix: lake\n    warehouse: true\n    warehouseAccess: open\n"),
                        "data-platform:buckets.warehouseAccess", "'open' is not allowed; allowed: catalog, direct"),
                bad("dev", buckets("    cloud: azure\n    prefix: lake\n"), "data-platform:buckets.cloud", "'azure' is not allowed; allowed: aws, gcp"),
                bad("dev", buckets("    cloud: aws\n    prefix: Lake\n"), "data-platform:buckets.prefix", "'Lake' is not valid"),
                bad("dev", buckets("    cloud: gcp\n    prefix: acme-lake\n    location: EU\n"), "data-platform:buckets.gcpProject", "is required"),
                bad("dev", buckets("    cloud: gcp\n    prefix: google-lake\n    gcpProject: acme-data-dev\n    location: EU\n"),
                        "data-platform:buckets.prefix", "may not start with 'goog' or contain 'google'"),
                bad("dev", buckets("    cloud: aws\n    prefix: acme-lake\n    location: EU\n"), "data-platform:buckets.location", "applies to cloud gcp only"),
                bad("dev", buckets("    cloud: aws\n    prefix: acme-lake\n    rawColdAfterDays: 90\n    rawArchiveAfterDays: 60\n"),
                        "data-platform:buckets.rawArchiveAfterDays", "must be later than rawColdAfterDays (90)"),
                bad("dev", buckets("    cloud: aws\n    prefix: acme-lake\n    rawRetentionDays: 0\n"), "data-platform:buckets.rawRetentionDays",
                        "0 is out of range; allowed: 1 to 36500"),
                bad("dev", buckets("    cloud: gcp\n    prefix: acme-lake\n    gcpProject: acme-data-dev\n    location: EU\n"
                        + "    identities:\n      readers: [api@acme.iam.gserviceaccount.com]\n"),
                        "data-platform:buckets.identities.readers[0]", "allowed: IAM members such as serviceAccount:"),
                bad("dev", buckets("    cloud: aws\n    prefix: acme-lake\n    identities:\n      writers: [x]\n"),
                        "data-platform:buckets.identities.writers", "unknown key"),
                bad("dev", rds(""), "data-platform:rds.region", "is required; allowed: an AWS region"),
                bad("dev", rds(RDS_BASE.replace("eu-west-1", "Ireland")), "data-platform:rds.region", "'Ireland' is not valid"),
                bad("dev", rds(RDS_BASE.replace("vpc-0a1b2c3d4e5f60001", "vpc-main")), "data-platform:rds.vpcId", "'vpc-main' is not valid"),
                bad("dev", rds(RDS_BASE.replace(", subnet-0a1b2c3d4e5f60012", "")), "data-platform:rds.subnetIds",
                        "needs at least 2 private subnets"),
                bad("dev", rds(RDS_BASE.replace("subnet-0a1b2c3d4e5f60012", "subnet-2")), "data-platform:rds.subnetIds[1]",
                        "'subnet-2' is not valid"),
                bad("dev", rds(RDS_BASE + "    allowedCidrs: [0.0.0.0/0]\n"), "data-platform:rds.allowedCidrs[0]", "is not inside a private range"),
                bad("dev", rds(RDS_BASE.replace("    allowedSecurityGroupIds: [sg-0a1b2c3d4e5f60021]\n", "")),
                        "data-platform:rds.allowedSecurityGroupIds", "nobody could connect"),
                bad("dev", rds(RDS_BASE + "    instanceClass: t3.micro\n"), "data-platform:rds.instanceClass", "'t3.micro' is not valid"),
                bad("dev", rds(RDS_BASE + "    masterUsername: postgres\n"), "data-platform:rds.masterUsername", "reserved by RDS"),
                bad("dev", rds(RDS_BASE + "    maxAllocatedStorageGb: 20\n"), "data-platform:rds.maxAllocatedStorageGb",
                        "must be more than allocatedStorageGb (20)"),
                bad("dev", rds(RDS_BASE + "    monitoringIntervalSeconds: 7\n"), "data-platform:rds.monitoringIntervalSeconds", "7 is not valid"),
                bad("dev", rds(RDS_BASE + "    parameters: {rds.force_ssl: \"0\"}\n"), "data-platform:rds.parameters.rds.force_ssl",
                        "cannot be 0"),
                bad("dev", rds(RDS_BASE + "    backupWindow: 2am\n"), "data-platform:rds.backupWindow", "'2am' is not valid"),
                bad("dev", rds(RDS_BASE + "    databases:\n      - name: metadata\n        logins:\n          - name: dagster\n"
                        + "            access: admin\n"), "data-platform:rds.databases[0].logins[0].access", "'admin' is not allowed"),
                bad("dev", rds(RDS_BASE + "    databases:\n      - name: metadata\n        logins:\n          - name: Bad Name\n"
                        + "            access: reader\n"), "data-platform:rds.databases[0].logins[0].name", "'Bad Name' is not valid"),
                bad("dev", rds(RDS_BASE + "    dbName: x\n"), "data-platform:rds.dbName", "unknown key"),
                bad("dev", cloudSql(NETWORK + DATABASES + WORKLOAD.replace("serviceAccountId: dagster-wl", "serviceAccountId: wl")),
                        "data-platform:cloudSql.workloads.dagster.serviceAccountId", "'wl' is not valid; allowed: 6-30"),
                bad("dev", tenants(""), "data-platform:tenants.clients", "is required"),
                bad("dev", tenants(TENANT_AWS.replace("123456789012", "210987654321") + "    clients: [{name: acme}]\n"),
                        "data-platform:tenants.aws", "names another identity than cluster 'eks'"),
                bad("dev", tenants(TENANT_AWS), "data-platform:tenants.clients", "is required"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - name: Acme_Corp\n"), "data-platform:tenants.clients[0].name",
                        "'Acme_Corp' is not a DNS-1123 label of at most 40 characters"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - {name: acme}\n      - {name: acme}\n"),
                        "data-platform:tenants.clients[1].name", "'acme' is listed twice"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - {}\n"), "data-platform:tenants.clients[0].name", "is required"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - {name: acme, instanses: 2}\n"),
                        "data-platform:tenants.clients[0].instanses", "unknown key (did you mean 'instances'?)"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - {name: acme, cpu: lots}\n"),
                        "data-platform:tenants.clients[0].cpu", "'lots' is not valid; allowed: a positive CPU quantity"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - {name: acme, appAccess: admin}\n"),
                        "data-platform:tenants.clients[0].appAccess", "'admin' is not allowed; allowed: owner, writer, reader"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - {name: acme, database: postgres}\n"),
                        "data-platform:tenants.clients[0].database", "'postgres' is reserved"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - {name: acme, extensions: [PostGIS]}\n"),
                        "data-platform:tenants.clients[0].extensions[0]", "'PostGIS' is not valid"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - name: acme\n        scaling: {deployment: api, triggers: "
                        + "[{type: cpu, metadata: {value: \"60\"}}]}\n"),
                        "data-platform:tenants.clients[0].scaling.triggers", "cannot scale to zero"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - name: acme\n        scaling: {triggers: [{type: cron}]}\n"),
                        "data-platform:tenants.clients[0].scaling.deployment", "is required"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - {name: acme, extensions: [pg_cron]}\n"),
                        "data-platform:tenants.clients[0].extensions[0]", "'pg_cron' is not valid: not an extension StackGres 1.18.6 "
                                + "is known to provide; allowed: btree_gist, ltree, pg_stat_statements, pg_trgm, pgcrypto, postgis"),
                bad("dev", tenants(TENANT_AWS + "    postgresVersion: \"19\"\n    clients: [{name: acme}]\n"),
                        "data-platform:tenants.postgresVersion", "'19' is not valid: a PostgreSQL major version StackGres 1.18.6 ships "
                                + "that the project runs, one of 15, 16, 17, 18"),
                bad("dev", tenants(TENANT_AWS + "    postgresVersion: \"12\"\n    clients: [{name: acme}]\n"),
                        "data-platform:tenants.postgresVersion", "StackGres 1.18.6 ships it, but the project runs only one of 15, 16, 17, 18"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - {name: acme, citus: {shards: 2}}\n"),
                        "data-platform:tenants.clients[0].citus", "is not allowed on a single instance (instances: 1)"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - {name: acme, instances: 1, citus: {shards: 2}}\n"),
                        "data-platform:tenants.clients[0].citus", "instances: 2 or more"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - name: acme\n        scaling: {deployment: api, triggers: "
                                + "[{type: aws-sqs-queue, metadata: {queueURL: \"https://sqs.eu-west-1.amazonaws.com/123456789012/q\", "
                                + "identityOwner: operator}}]}\n"),
                        "data-platform:tenants.clients[0].scaling.triggers[0].metadata", "metadata [identityOwner] is not allowed"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - name: acme\n        scaling: {deployment: api, triggers: "
                                + "[{type: aws-sqs-queue, metadata: {queueLength: \"5\"}}]}\n"),
                        "data-platform:tenants.clients[0].scaling.triggers[0].metadata", "needs metadata queueURL"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - {name: acme, appNamespace: tenant-acme, createAppNamespace: true}\n"),
                        "data-platform:tenants.clients[0].appNamespace", "is the tenant's own namespace"),
                bad("dev", tenants(TENANT_AWS + "    kedaNamespace: KEDA\n    clients: [{name: acme}]\n"),
                        "data-platform:tenants.kedaNamespace", "'KEDA' is not valid"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - {name: acme, citus: {shards: 0}}\n"),
                        "data-platform:tenants.clients[0].citus.shards", "0 is out of range"),
                bad("dev", tenants("    aws: {accountId: 12345, region: eu-west-1, oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/A}\n"
                        + "    clients: [{name: acme}]\n"), "data-platform:tenants.aws.accountId", "a 12-digit AWS account ID"),
                bad("dev", tenants("    aws: {accountId: \"123456789012\", region: eu-west-1, "
                        + "oidcProvider: https://oidc.eks.eu-west-1.amazonaws.com/id/A}\n    clients: [{name: acme}]\n"),
                        "data-platform:tenants.aws.oidcProvider", "without https://"),
                bad("prod", tenants(TENANT_AWS + "    clients: [{name: acme}]\n").replace("environment: dev", "environment: prod"),
                        "data-platform:tenants.backups", "is required in prod"),
                bad("prod", tenants(TENANT_AWS + TENANT_BACKUPS + "    clients: [{name: acme, instances: 1}]\n")
                        .replace("environment: dev", "environment: prod"),
                        "data-platform:tenants.clients[0].instances", "1 is not allowed in prod"),
                bad("dev", tenants(TENANT_AWS + TENANT_BACKUPS.replace("https://", "http://") + "    clients: [{name: acme}]\n"),
                        "data-platform:tenants.backups.endpoint", "allowed: an https:// endpoint"),
                bad("dev", tenants(TENANT_AWS + TENANT_BACKUPS.replace("/platform/dev/r2", "platform") + "    clients: [{name: acme}]\n"),
                        "data-platform:tenants.backups.credentialsParameter", "an SSM parameter path"),
                bad("dev", tenants(TENANT_AWS + TENANT_BACKUPS + "      cronSchedule: daily\n    clients: [{name: acme}]\n"),
                        "data-platform:tenants.backups.cronSchedule", "is not a 5-field cron expression"),
                bad("dev", tenants(TENANT_AWS + "    postgresVersion: \"12\"\n    clients: [{name: acme}]\n"),
                        "data-platform:tenants.postgresVersion", "'12' is not valid"),
                bad("dev", dagster("    chartVersion: latest\n" + DAGSTER_DB), "data-platform:dagster.chartVersion",
                        "'latest' is not a pinned x.y.z version; allowed: dagster >= 1.13.0 and < 2.0.0 (pinned: 1.13.8)"),
                bad("dev", dagster("    chartVersion: \"1.13.8\"\n"), "data-platform:dagster.database", "is required"),
                bad("dev", dagster("    chartVersion: \"1.13.8\"\n    database: {server: mysql, name: dagster}\n"),
                        "data-platform:dagster.database.server", "'mysql' is not allowed; allowed: cloudSql, rds"),
                bad("dev", dagster("    chartVersion: \"1.13.8\"\n    database: {server: rds, name: dagster}\n"),
                        "data-platform:dagster.database.server", "rds is not configured in this stack"),
                bad("dev", CLOUD_SQL_STACK + DAGSTER + "    chartVersion: \"1.13.8\"\n    database: {server: cloudSql, name: nope,"
                        + " auth: password, login: dagster, passwordStore: s, passwordKey: k}\n",
                        "data-platform:dagster.database.name", "'nope' is not a database of data-platform:cloudSql"),
                bad("dev", CLOUD_SQL_STACK + DAGSTER + "    chartVersion: \"1.13.8\"\n    database: {server: cloudSql, name: dagster, auth: password}\n",
                        "data-platform:dagster.database.auth", "password needs passwordStore and passwordKey"),
                bad("dev", CLOUD_SQL_STACK + DAGSTER + "    chartVersion: \"1.13.8\"\n    database: {server: cloudSql, name: dagster,"
                        + " auth: password, login: someone, passwordStore: s, passwordKey: k}\n",
                        "data-platform:dagster.database.login", "must be a login of cloudSql database 'dagster' with access owner"),
                bad("dev", CLOUD_SQL_STACK + DAGSTER + "    chartVersion: \"1.13.8\"\n    database: {server: cloudSql, name: dagster}\n",
                        "data-platform:dagster.database.auth", "is not an owner of 'dagster' and cannot create the instance's tables: "
                                + "set cloudSql.workloads.dagster.databases.dagster: owner, or use auth: password with an owner login"),
                bad("dev", CLOUD_SQL_STACK + DAGSTER + "    chartVersion: \"1.13.8\"\n" + DAGSTER_DB
                        + "    codeLocations:\n      - {name: pipelines, image: ghcr.io/acme/p:latest, module: acme.defs}\n",
                        "data-platform:dagster.codeLocations[0].image", "uses tag latest"),
                bad("dev", CLOUD_SQL_STACK + DAGSTER + "    chartVersion: \"1.13.8\"\n" + DAGSTER_DB
                        + "    awsRoleArn: arn:aws:iam::123456789012:role/dagster\n",
                        "data-platform:dagster.awsRoleArn", "is only used with database.server rds and auth iam"),
                bad("dev", CLOUD_SQL_STACK + DAGSTER + "    chartVersion: \"1.13.8\"\n" + DAGSTER_DB + "    maxConcurentRuns: 3\n",
                        "data-platform:dagster.maxConcurentRuns", "unknown key (did you mean 'maxConcurrentRuns'?)"),
                bad("dev", rds(RDS_BASE + "    databases:\n      - name: dagster\n        logins:\n          - {name: dagster, access: owner}\n")
                        + "  data-platform:dagster:\n    chartVersion: \"1.12.9\"\n    database: {server: rds, name: dagster, login: dagster,"
                        + " cidr: 10.0.0.0/16}\n    awsRoleArn: arn:aws:iam::123456789012:role/dagster\n",
                        "data-platform:dagster.chartVersion", "'1.12.9' is not supported; allowed: dagster >= 1.13.0 and < 2.0.0"),
                bad("prod", "config:\n  data-platform:environment: prod\n  data-platform:observability:\n"
                        + "    collectorChartVersion: \"0.170.0\"\n", "data-platform:observability.export", "is required in prod"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:observability:\n"
                        + "    collectorChartVersion: \"0.108.0\"\n", "data-platform:observability.collectorChartVersion",
                        "'0.108.0' is not supported; allowed: opentelemetry-collector >= 0.170.0 and < 1.0.0 (pinned: 0.170.0)"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:observability:\n"
                        + "    jaegerImage: jaegertracing/all-in-one:1.62.0\n", "data-platform:observability.jaegerImage",
                        "is not jaegertracing/jaeger; allowed: jaegertracing/jaeger:<tag >= 2.0.0 and < 3.0.0> (pinned: jaegertracing/jaeger:2.20.0)"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:observability:\n"
                        + "    jaegerImage: jaegertracing/jaeger:3.0.0\n", "data-platform:observability.jaegerImage",
                        "image '3.0.0' is not supported; allowed: jaegertracing/jaeger >= 2.0.0 and < 3.0.0"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:observability:\n"
                        + "    marquezImage: marquezproject/marquez:0.50.0\n", "data-platform:observability.marquezImage",
                        "image '0.50.0' is not supported; allowed: marquezproject/marquez >= 0.51.0 and < 1.0.0"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:observability:\n"
                        + "    collectorChartVersion: \"0.170.0\"\n    export: {endpoint: https://x.example.com, headerName: a,"
                        + " headerSecret: {name: s, key: k}}\n", "data-platform:observability.export", "is not used in dev"),
                bad("stage", "config:\n  data-platform:environment: stage\n  data-platform:observability:\n"
                        + "    collectorChartVersion: \"0.170.0\"\n    export: {endpoint: http://x.example.com, headerName: a,"
                        + " headerSecret: {name: s, key: k}}\n", "data-platform:observability.export.endpoint", "is not an https:// URL"),
                bad("dev", "config:\n  data-platform:environment: dev\n  data-platform:observability:\n"
                        + "    collectorChartVersion: \"0.170.0\"\n    marquez: {database: marquez, user: marquez, passwordStore: s,"
                        + " passwordKey: k}\n", "data-platform:observability.marquez.database", "Marquez runs on Cloud SQL"),
                bad("dev", CLOUD_SQL_STACK.replace(WORKLOAD, "") + "  data-platform:observability:\n"
                        + "    marquez: {database: dagster, user: dagster, passwordStore: s, passwordKey: k}\n",
                        "data-platform:observability.marquez.database", "authenticates as Marquez's own Google service account: configure "
                                + "data-platform:cloudSql.workloads.marquez {serviceAccountId, namespace: observability, kubernetesServiceAccount: marquez}"),
                bad("dev", CLOUD_SQL_STACK.replace("kubernetesServiceAccount: pgstac-migrator\n", "kubernetesServiceAccount: pgstac-migrator\n"
                                + "      marquez: {serviceAccountId: dp-marquez, namespace: lineage, kubernetesServiceAccount: marquez}\n")
                                + "  data-platform:observability:\n    marquez: {database: dagster, user: dagster, passwordStore: s, passwordKey: k}\n",
                        "data-platform:observability.marquez.database", "Marquez runs as ServiceAccount observability/marquez but "
                                + "cloudSql.workloads.marquez names lineage/marquez; allowed: namespace: observability, kubernetesServiceAccount: marquez"),
                bad("dev", CLOUD_SQL_STACK + "  data-platform:observability:\n    collectorChartVersion: \"0.170.0\"\n"
                        + "    marquez: {database: dagster, user: reader, passwordStore: s, passwordKey: k}\n",
                        "data-platform:observability.marquez.user", "must be a login of database 'dagster' with access owner"),
                bad("dev", "config:\n  data-platform:environment: [dev", "(file)", "is not valid YAML"),
                // Cloud SQL refuses backup retention <= transaction log retention.
                bad("stage", cloudSql(NETWORK + "    transactionLogRetentionDays: 7\n").replace("environment: dev", "environment: stage"),
                        "data-platform:cloudSql.transactionLogRetentionDays",
                        "7 is not less than the days of backups kept (7): Cloud SQL refuses backup retention <= transaction log retention; allowed: 1 to 6"),
                bad("dev", cloudSql(NETWORK + "    transactionLogRetentionDays: 1\n"),
                        "data-platform:cloudSql.transactionLogRetentionDays", "allowed: none with 1 day of backups"),
                bad("prod", cloudSql(NETWORK + "    transactionLogRetentionDays: 9\n").replace("environment: dev", "environment: prod"),
                        "data-platform:cloudSql.transactionLogRetentionDays", "9 is out of range; allowed: 1 to 7"),
                // Dagster reaches Cloud SQL only through the Auth Proxy, which needs the workload's Google identity.
                bad("dev", CLOUD_SQL_STACK + "  data-platform:dagster:\n    namespace: dagster\n    chartVersion: \"1.13.8\"\n" + DAGSTER_DB,
                        "data-platform:dagster.database.server",
                        "reachable only through the Cloud SQL Auth Proxy with cloudSql.workloads.dagster's Google identity: run Dagster as that "
                                + "ServiceAccount; allowed: dagster.namespace: data-apps and dagster.serviceAccount: dagster (now dagster/dagster)"),
                bad("dev", CLOUD_SQL_STACK.replace(WORKLOAD, "") + DAGSTER + "    chartVersion: \"1.13.8\"\n" + DAGSTER_DB,
                        "data-platform:dagster.database.server", "needs a Google identity: configure data-platform:cloudSql.workloads.dagster")));
    }

    static final String NETWORK = "    project: acme-data-dev\n    region: europe-west1\n"
            + "    privateNetwork: projects/acme-data-dev/global/networks/data\n";
    static final String DATABASES = "    databases:\n      - name: pgstac\n        pgstac: true\n"
            + "        logins:\n          - name: pgstac_migrator\n            access: migrator\n";
    /** The pgSTAC migration every Cloud SQL pgstac database needs. */
    static final String PGSTAC_MIGRATION = "  data-platform:pgstacMigration:\n    passwordStore: gcp-secret-manager\n"
            + "    passwordKey: pgstac-migrator-password-dev\n";
    /** Dagster's and the pgSTAC migration Job's own identities. */
    static final String WORKLOAD = "    workloads:\n      dagster:\n        serviceAccountId: dagster-wl\n"
            + "        namespace: data-apps\n        kubernetesServiceAccount: dagster\n"
            + "      pgstac-migrator:\n        serviceAccountId: dp-pgstac-migrator\n"
            + "        namespace: pgstac-migrations\n        kubernetesServiceAccount: pgstac-migrator\n";

    static final String RDS_BASE = "    region: eu-west-1\n    vpcId: vpc-0a1b2c3d4e5f60001\n"
            + "    subnetIds: [subnet-0a1b2c3d4e5f60011, subnet-0a1b2c3d4e5f60012]\n"
            + "    allowedSecurityGroupIds: [sg-0a1b2c3d4e5f60021]\n";

    static final String TENANT_AWS = "    aws:\n      accountId: \"123456789012\"\n      region: eu-west-1\n"
            + "      oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/ABC123\n";
    static final String TENANT_BACKUPS = "    backups:\n      bucket: acme-tenant-backups\n"
            + "      endpoint: https://0123456789abcdef.r2.cloudflarestorage.com\n      credentialsParameter: /platform/dev/r2\n";

    /** A dev stack with Cloud SQL holding database dagster (owner login dagster) and its workload. */
    /** The one GKE cluster of a dev stack file, with the default Kubernetes provider disabled. */
    static final String GKE_CLUSTER = "  pulumi:disable-default-providers: [kubernetes]\n"
            + "  data-platform:clusters: {dev-gke: {kind: gke, project: acme-data-dev, location: europe-west1, name: dp-dev}}\n";
    /** The one EKS cluster of a stack file, with the default Kubernetes provider disabled. */
    static final String EKS_CLUSTER = "  pulumi:disable-default-providers: [kubernetes]\n"
            + "  data-platform:clusters: {eks: {kind: eks, region: eu-west-1, name: dp, accountId: \"123456789012\", "
            + "oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/ABC123}}\n";
    static final String CLOUD_SQL_STACK = "config:\n  data-platform:environment: dev\n" + GKE_CLUSTER + "  data-platform:cloudSql:\n" + NETWORK
            + "    adminPassword: {secure: v1:abc}\n"
            + "    databases:\n      - name: dagster\n        logins:\n          - {name: dagster, access: owner}\n"
            + "          - {name: reader, access: reader}\n" + WORKLOAD;
    static final String DAGSTER = "  data-platform:dagster:\n    namespace: data-apps\n";
    static final String DAGSTER_DB = "    database: {server: cloudSql, name: dagster, auth: password, login: dagster,"
            + " passwordStore: gcp-secret-manager, passwordKey: dagster-db-password}\n";

    /** A dev stack file with data-platform:dagster holding {@code body}. */
    static String dagster(String body) {
        return "config:\n  data-platform:environment: dev\n  data-platform:dagster:\n" + body;
    }

    /** A dev stack file with data-platform:tenants holding {@code body}. */
    static String tenants(String body) {
        return "config:\n  data-platform:environment: dev\n" + EKS_CLUSTER + "  data-platform:tenants:\n" + (body.isEmpty() ? "    {}\n" : body);
    }

    /** A dev stack file with data-platform:buckets holding {@code body}. */
    static String buckets(String body) {
        return "config:\n  data-platform:environment: dev\n  data-platform:buckets:\n" + (body.isEmpty() ? "    {}\n" : body);
    }

    /** A dev stack file with data-platform:rds holding {@code body}. */
    static String rds(String body) {
        return "config:\n  data-platform:environment: dev\n  data-platform:rds:\n" + (body.isEmpty() ? "    {}\n" : body);
    }

    /** A dev stack file with data-platform:cloudSql holding {@code body} (indented four spaces). */
    /** pgSTAC: the version, the migrator login, the migration's password. */
    static Stream<Arguments> pgstacBadInputs() {
        String base = NETWORK + "    adminPassword:\n      secure: v1:abc\n";
        String migratorAlsoWriter = base + DATABASES + "      - name: tiles\n        logins:\n          - name: pgstac_migrator\n"
                + "            access: writer\n" + WORKLOAD;
        String rdsMigratorAlsoReader = RDS_BASE + "    databases:\n      - name: stac\n        pgstac: true\n        logins:\n"
                + "          - name: stac_migrator\n            access: migrator\n      - name: tiles\n        logins:\n"
                + "          - name: stac_migrator\n            access: reader\n";
        return Stream.of(
                bad("dev", cloudSql(base + DATABASES + WORKLOAD).replace("  data-platform:cloudSql:",
                                "  data-platform:pgstacVersion: \"0.9.9\"\n  data-platform:cloudSql:"),
                        "data-platform:pgstacVersion", "'0.9.9' is not allowed; allowed: 0.9.10, 0.9.11"),
                bad("dev", cloudSql(migratorAlsoWriter), "data-platform:cloudSql.databases",
                        "login 'pgstac_migrator' migrates pgSTAC and cannot also have writer access (database 'tiles')"),
                bad("dev", rds(rdsMigratorAlsoReader), "data-platform:rds.databases",
                        "login 'stac_migrator' migrates pgSTAC and cannot also have reader access (database 'tiles')"),
                bad("dev", cloudSql(base + "    databases:\n      - name: pgstac\n        pgstac: true\n" + WORKLOAD),
                        "data-platform:cloudSql.databases", "database 'pgstac' has pgstac: true but no login with access: migrator"),
                bad("dev", cloudSql(base + "    databases:\n      - name: tiles\n        logins:\n          - name: m\n"
                                + "            access: migrator\n" + WORKLOAD), "data-platform:cloudSql.databases[0]",
                        "login 'm' has access MIGRATOR, which only a pgstac database has"),
                bad("dev", cloudSql(base + DATABASES.replace("        pgstac: true\n", "        pgstac: true\n        schemas: [pgstac]\n")
                                + WORKLOAD), "data-platform:cloudSql.databases[0]", "schema 'pgstac' belongs to pgSTAC"),
                bad("dev", cloudSql(base + DATABASES + WORKLOAD).replace(PGSTAC_MIGRATION, ""), "data-platform:pgstacMigration",
                        "is required: the Cloud SQL pgSTAC database(s) pgstac are migrated by a Job"),
                bad("dev", "config:\n  data-platform:environment: dev\n" + PGSTAC_MIGRATION,
                        "data-platform:pgstacMigration", "has nothing to migrate"),
                bad("dev", cloudSql(base + DATABASES + WORKLOAD).replace("    passwordKey: pgstac-migrator-password-dev\n", ""),
                        "data-platform:pgstacMigration.passwordKey", "is required"),
                bad("dev", tenants(TENANT_AWS + "    clients:\n      - {name: acme, pgstac: true, citus: {shards: 2}}\n"),
                        "data-platform:tenants.clients[0].pgstac", "cannot be combined with citus"));
    }

    static String cloudSql(String body) {
        return "config:\n  data-platform:environment: dev\n" + GKE_CLUSTER + (body.contains("pgstac: true") ? PGSTAC_MIGRATION : "")
                + "  data-platform:cloudSql:\n" + (body.isEmpty() ? "    {}\n" : body);
    }

    @ParameterizedTest(name = "[{index}] {2}: {3}")
    @MethodSource("badInputs")
    void badConfigIsRejectedWithFileKeyPathAndWhatIsAllowed(String stack, String yaml, String path, String fragment) {
        ConfigRefusals.assertRefused(stack, yaml, path, fragment);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        var error = assertThrows(ConfigException.class, () -> parse("dev", """
                config:
                  data-platform:environment: qa
                  data-platform:labls: {}
                  data-platform:profile:
                    backupRetentionDays: 99
                """));
        assertEquals(3, error.errors().size(), error.getMessage());
        assertTrue(error.getMessage().startsWith("Pulumi.dev.yaml: data-platform:"), error.getMessage());
    }

    @Test
    void aSectionThatFailsCausesNoFollowOnErrorsAndEachProblemIsReportedOnce() throws Exception {
        String committed = Files.readString(Path.of("../Pulumi.dev.yaml"));
        String broken = committed.replace("    region: europe-west1\n",
                "    region: europe-west1\n    tier: db-bogus\n    adminPassword: hunter2\n");
        assertFalse(broken.equals(committed));
        var error = assertThrows(ConfigException.class, () -> parse("dev", broken));
        assertEquals(List.of("data-platform:cloudSql.adminPassword", "data-platform:cloudSql.tier"),
                error.errors().stream().map(ConfigError::path).sorted().toList(), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), "the plain-text secret is not echoed");

        // Without the Cloud SQL section at all, Dagster's and Marquez's references to it are real problems.
        String withoutCloudSql = committed.replaceAll("(?s)  data-platform:cloudSql:\n.*?(?=\n  # Object storage)", "");
        var missing = assertThrows(ConfigException.class, () -> parse("dev", withoutCloudSql));
        assertTrue(missing.getMessage().contains("data-platform:dagster.database.server: cloudSql is not configured"),
                missing.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void environmentProfilesSetTheDefaults(String id) {
        var config = parse(id, "config:\n  data-platform:environment: " + id);
        var environment = Environment.fromId(id).orElseThrow();
        assertEquals(environment, config.environment());
        assertEquals(EnvironmentProfile.defaults(environment), config.profile());
    }

    @Test
    void devIsDisposableStageIsProtectedProdIsHighlyAvailable() {
        assertEquals(new EnvironmentProfile(false, false, false, 1, false), EnvironmentProfile.defaults(Environment.DEV));
        assertEquals(new EnvironmentProfile(true, true, false, 7, true), EnvironmentProfile.defaults(Environment.STAGE));
        assertEquals(new EnvironmentProfile(true, true, true, 14, true), EnvironmentProfile.defaults(Environment.PROD));
    }

    @Test
    void aStackOverridesItsProfile() {
        var config = parse("prod-eu", """
                config:
                  data-platform:environment: prod
                  data-platform:profile:
                    backupRetentionDays: 30
                """);
        assertEquals(30, config.profile().backupRetentionDays());
        assertTrue(config.profile().highAvailability());

        var dev = parse("dev", """
                config:
                  data-platform:environment: dev
                  data-platform:profile: {protect: true, highAvailability: true, backupRetentionDays: 3}
                """);
        assertEquals(new EnvironmentProfile(true, false, true, 3, false), dev.profile());
    }

    @Test
    void labelsAreMergedWithTheProgramsOwn() {
        var config = parse("stage", """
                config:
                  data-platform:environment: stage
                  data-platform:labels: {team: data-platform, cost-center: "42"}
                  gcp:project: acme-data-stage
                """);
        assertEquals(Map.of("team", "data-platform", "cost-center", "42", "environment", "stage", "managed-by", "pulumi"),
                config.labels());
    }

    @Test
    void secretsGivenAsSecretsAreAccepted() {
        var config = parse("dev", """
                config:
                  data-platform:environment: dev
                  aws:secretKey:
                    secure: v1:AAAABBBB
                """);
        assertEquals(Environment.DEV, config.environment());
    }

    /** The stack file, as the Pulumi CLI hands it to the program: scalars as strings, objects as JSON. */
    static Map<String, String> asEngineConfig(StackFile file) {
        var raw = new LinkedHashMap<String, String>();
        file.values().forEach((k, v) -> raw.put(k, v instanceof String s ? s : new Gson().toJson(v)));
        return raw;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void theEngineAndTheStackFileYieldTheSameConfig(String stack) {
        var file = StackFile.load(Path.of(".."), stack);
        // Both without requiring secrets: the committed stack files leave the admin password to operators.
        var offline = PlatformConfigParser.parse(file, new ConfigNode.Context(file.file(), false));
        var engineSource = EngineConfigSource.of(stack, asEngineConfig(file), Set.of());
        var underEngine = PlatformConfigParser.parse(engineSource, new ConfigNode.Context(engineSource.file(), false));
        assertEquals(offline, underEngine);
    }

    @Test
    void underTheEngineConfigIsReadThroughCtxConfig() {
        var raw = Map.of(
                "data-platform:environment", "stage",
                "data-platform:profile", "{\"backupRetentionDays\":21}",
                "data-platform:labels", "{\"team\":\"data\"}");
        var json = new Gson().toJson(raw);
        var run = Harness.preview("stage", raw, Set.of(), ctx -> {
            var config = PlatformConfigParser.parse(EngineConfigSource.fromContext(ctx, json, "[]"));
            ctx.export("retention", Output.of(config.profile().backupRetentionDays()));
            ctx.export("team", Output.of(config.labels().get("team")));
        }).succeeded();
        assertEquals(21, ((Number) run.output("retention")).intValue());
        assertEquals("data", run.output("team"));
    }

    @Test
    void underTheEngineASecretKeyIsNotReportedAsPlainText() {
        var raw = Map.of("data-platform:environment", "dev", "aws:secretKey", "decrypted-by-the-cli");
        var config = PlatformConfigParser.parse(EngineConfigSource.of("dev", raw, Set.of("aws:secretKey")));
        assertEquals(Environment.DEV, config.environment());

        var error = assertThrows(ConfigException.class,
                () -> PlatformConfigParser.parse(EngineConfigSource.of("dev", raw, Set.of())));
        assertTrue(error.getMessage().contains("Pulumi.dev.yaml: aws:secretKey: holds a secret in plain text"), error.getMessage());
    }

    @Test
    void cloudSqlDefaultsComeFromTheEnvironment() {
        var dev = parse("dev", cloudSql(NETWORK)).cloudSql().orElseThrow();
        assertEquals("data-platform-dev", dev.instanceName());
        assertEquals("db-custom-1-3840", dev.tier());
        assertEquals("POSTGRES_15", dev.databaseVersion());
        assertEquals(50, dev.diskAutoresizeLimitGb());
        var prod = parse("prod", cloudSql(NETWORK).replace("environment: dev", "environment: prod")).cloudSql().orElseThrow();
        assertEquals("db-custom-4-16384", prod.tier());
        assertEquals(500, prod.diskAutoresizeLimitGb());
        assertEquals(7, prod.maintenanceDay());
    }

    @Test
    void tenantDefaultsComeFromTheEnvironmentAndOneEntryIsEnough() {
        var devTenants = parse("dev", tenants(TENANT_AWS + "    clients: [{name: acme}]\n")).tenants().orElseThrow();
        assertEquals("stackgres", devTenants.operatorNamespace());
        assertEquals("monitoring", devTenants.monitoringNamespace());
        assertEquals("16", devTenants.postgresVersion());
        assertEquals(null, devTenants.backups(), "backups are optional in dev");
        var acme = devTenants.clients().get(0);
        assertEquals(1, devTenants.clients().size());
        assertEquals(dev.dataplatform.stackgres.StackGresTenant.Size.defaults(dev.dataplatform.core.Environment.DEV), acme.size());
        assertEquals(dev.dataplatform.access.Access.WRITER, acme.appAccess());
        assertEquals(null, acme.appNamespace(), "the component defaults it to the client name");
        assertFalse(acme.decommission());

        var prodTenants = parse("prod", tenants(TENANT_AWS + TENANT_BACKUPS + "    clients:\n      - name: acme\n"
                + "        decommission: true\n        citus: {shards: 4}\n")
                .replace("environment: dev", "environment: prod")).tenants().orElseThrow();
        assertEquals(14, prodTenants.backups().retention());
        assertEquals("0 3 * * *", prodTenants.backups().cronSchedule());
        var client = prodTenants.clients().get(0);
        assertEquals(3, client.size().instances());
        assertEquals(new dev.dataplatform.stackgres.StackGresTenant.Citus(4, 3), client.citus());
        assertTrue(client.decommission());
    }

    @Test
    void dagsterOnCloudSqlWithAPasswordLoginParses() {
        var dagster = parse("dev", CLOUD_SQL_STACK + DAGSTER + "    chartVersion: \"1.13.8\"\n" + DAGSTER_DB
                + "    codeLocations:\n      - {name: pipelines, image: ghcr.io/acme/p:1.2.3, module: acme.defs}\n").dagster().orElseThrow();
        assertEquals(DagsterConfig.Server.CLOUD_SQL, dagster.server());
        assertEquals(dev.dataplatform.dagster.DagsterStack.Auth.PASSWORD, dagster.auth());
        assertEquals("data-apps", dagster.namespace());
        assertEquals("dagster", dagster.serviceAccount());
        assertEquals(10, dagster.maxConcurrentRuns());
        assertEquals(List.of(new dev.dataplatform.dagster.DagsterStack.CodeLocation("pipelines", "ghcr.io/acme/p", "1.2.3",
                "acme.defs")), dagster.codeLocations());
    }

    @Test
    void bucketRetentionDefaultsComeFromTheEnvironment() {
        assertEquals(1, parse("dev", buckets("    cloud: aws\n    prefix: acme-lake\n")).buckets().orElseThrow().rawRetentionDays());
        assertEquals(365, parse("prod", buckets("    cloud: aws\n    prefix: acme-lake\n").replace("environment: dev", "environment: prod"))
                .buckets().orElseThrow().rawRetentionDays());
    }

    @Test
    void rdsDefaultsComeFromTheEnvironment() {
        var dev = parse("dev", rds(RDS_BASE)).rds().orElseThrow();
        assertEquals("data-platform-dev", dev.identifier());
        assertEquals("db.t3.micro", dev.instanceClass());
        assertEquals("16", dev.engineVersion());
        assertEquals(50, dev.maxAllocatedStorageGb());
        assertEquals("platform_admin", dev.masterUsername());
        var stage = parse("stage", rds(RDS_BASE).replace("environment: dev", "environment: stage")).rds().orElseThrow();
        assertEquals("db.t3.small", stage.instanceClass());
        var prod = parse("prod", rds(RDS_BASE).replace("environment: dev", "environment: prod")).rds().orElseThrow();
        assertEquals("db.t3.medium", prod.instanceClass());
        assertTrue(prod.manageRoles());
        assertFalse(parse("dev", rds(RDS_BASE + "    manageRoles: false\n")).rds().orElseThrow().manageRoles());
        assertEquals(500, prod.maxAllocatedStorageGb());
    }

    @Test
    void theAdminPasswordIsRequiredUnderTheEngineButOnlyNotedOffline() {
        String yaml = cloudSql(NETWORK + DATABASES + WORKLOAD);
        var error = assertThrows(ConfigException.class, () -> parse("dev", yaml));
        assertTrue(error.getMessage().contains("Pulumi.dev.yaml: data-platform:cloudSql.adminPassword: is required: set it with "
                + "`pulumi config set --secret --path 'data-platform:cloudSql.adminPassword' <value>`"), error.getMessage());

        var file = StackFile.parse("Pulumi.dev.yaml", "dev", yaml);
        var offline = PlatformConfigParser.parse(file, new ConfigNode.Context(file.file(), false));
        assertEquals(Set.of("data-platform:cloudSql.adminPassword"), offline.missingSecrets());

        var withSecret = parse("dev", cloudSql(NETWORK + "    adminPassword:\n      secure: v1:abc\n" + DATABASES + WORKLOAD));
        assertEquals(Set.of(), withSecret.missingSecrets());
        assertTrue(withSecret.cloudSql().orElseThrow().adminPassword() != null);
    }

    @Test
    void theAdminPasswordMayBeASecretManagerSecretReadOnlyOnUpdate() {
        var config = parse("dev", cloudSql(NETWORK + "    adminPasswordSecretId: cloudsql-postgres-password\n" + DATABASES + WORKLOAD));
        assertEquals(Set.of(), config.missingSecrets(), "nothing for the stack file to decrypt");
        assertEquals("cloudsql-postgres-password", config.cloudSql().orElseThrow().adminPasswordSecretId());
        assertEquals(null, config.cloudSql().orElseThrow().adminPassword());

        ConfigRefusals.assertRefused("dev", cloudSql(NETWORK + "    adminPasswordSecretId: cloudsql-postgres-password\n"
                        + "    adminPassword:\n      secure: v1:abc\n" + DATABASES + WORKLOAD),
                "data-platform:cloudSql.adminPassword", "set either adminPassword or adminPasswordSecretId, not both");
        ConfigRefusals.assertRefused("dev", cloudSql(NETWORK + "    adminPasswordSecretId: projects/x/secrets/y\n" + DATABASES + WORKLOAD),
                "data-platform:cloudSql.adminPasswordSecretId", "a Secret Manager secret ID");
    }

    @Test
    void underTheEngineASecretNestedInAnObjectArrivesDecryptedAndIsAccepted() {
        // `pulumi config set --secret --path 'data-platform:cloudSql.adminPassword'` marks the whole
        // cloudSql key secret and hands the program its decrypted JSON.
        var file = StackFile.parse("Pulumi.dev.yaml", "dev", cloudSql(NETWORK + "    adminPassword:\n      secure: v1:abc\n" + DATABASES + WORKLOAD));
        var raw = new LinkedHashMap<>(asEngineConfig(file));
        var cloudSqlJson = com.google.gson.JsonParser.parseString(raw.get("data-platform:cloudSql")).getAsJsonObject();
        cloudSqlJson.addProperty("adminPassword", "hunter2");
        raw.put("data-platform:cloudSql", cloudSqlJson.toString());
        var config = PlatformConfigParser.parse(EngineConfigSource.of("dev", raw, Set.of("data-platform:cloudSql")));
        var cloudSql = config.cloudSql().orElseThrow();
        assertEquals("hunter2", cloudSql.adminPassword().plaintext());
        assertEquals("acme-data-dev", cloudSql.project(), "the plain values of a secret key are read as usual");

        // The same JSON without the secret marker is a plain-text password: refused.
        var error = assertThrows(ConfigException.class, () -> PlatformConfigParser.parse(EngineConfigSource.of("dev", raw, Set.of())));
        assertTrue(error.getMessage().contains("data-platform:cloudSql.adminPassword: holds a secret in plain text"), error.getMessage());
    }

    @Test
    void aMissingStackFileSaysWhereItLooked(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Pulumi.yaml"), "name: data-platform\n");
        var error = assertThrows(ConfigException.class, () -> StackFile.load(dir, "qa"));
        assertTrue(error.getMessage().startsWith("Pulumi.qa.yaml: (file): not found in " + dir.toRealPath()), error.getMessage());
    }
}
