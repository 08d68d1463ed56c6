package dev.dataplatform.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's reference tables stay in step with the code: every key the parser reads, every output. */
class ConfigReferenceTest {
    static final Path README = Path.of("../docs/configuration.md");
    static final Pattern FIRST_COLUMN_KEY = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);

    /** A stack file that sets every key, so the parser reads all of them. */
    static final String EVERY_KEY = """
            config:
              data-platform:environment: prod
              pulumi:disable-default-providers: [kubernetes]
              data-platform:clusters:
                prod-gke: {kind: gke, project: acme-data-prod, location: europe-west1-b, name: data-platform-prod}
                prod-eks: {kind: eks, region: eu-west-1, name: data-platform-prod, accountId: "123456789012", oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0}
                local:
                  kind: kubeconfig
                  context: kind-data-platform
                  kubeconfig:
                    secure: v1:abc
              data-platform:labels: {team: data}
              data-platform:extraRegions: [europe-west15]
              data-platform:profile:
                protect: true
                deletionProtection: true
                highAvailability: true
                backupRetentionDays: 21
                pointInTimeRecovery: true
              data-platform:cloudSql:
                project: acme-data-prod
                region: europe-west1
                privateNetwork: projects/acme-data-prod/global/networks/data
                instanceName: catalog-prod
                databaseVersion: POSTGRES_16
                tier: db-custom-4-16384
                edition: ENTERPRISE_PLUS
                diskSizeGb: 50
                diskAutoresizeLimitGb: 500
                backupStartTime: "01:30"
                maintenanceWindow: {day: 6, hour: 4}
                flags: {log_min_duration_statement: "500"}
                adminPassword:
                  secure: v1:abc
                databases:
                  - name: pgstac
                    schemas: [ingest]
                    extensions: [pg_trgm]
                    pgstac: true
                    logins:
                      - name: pgstac_migrator
                        access: migrator
                  - name: marquez
                    logins:
                      - name: marquez
                        access: owner
                workloads:
                  stac-api:
                    cluster: prod-gke
                    serviceAccountId: data-workloads
                    namespace: data-apps
                    kubernetesServiceAccount: stac-api
                    databases: {pgstac: reader}
                    createKubernetesResources: true
                    adoptsSharedWorkload: true
                  pgstac-migrator:
                    serviceAccountId: dp-pgstac-migrator
                    namespace: pgstac-migrations
                    kubernetesServiceAccount: pgstac-migrator
                  marquez:
                    serviceAccountId: dp-marquez
                    namespace: observability
                    kubernetesServiceAccount: marquez
              data-platform:pgstacVersion: "0.9.11"
              data-platform:pgstacMigration:
                cluster: prod-gke
                passwordStore: gcp-secret-manager
                passwordKey: pgstac-migrator-password-prod
              data-platform:logicalBackups:
                cluster: prod-gke
                bucket: acme-prod-pg-dumps
                prefix: cloudsql/prod
                schedule: "15 2 * * *"
                retentionDays: 35
                databases: [pgstac]
                login: dp_backup
                passwordStore: gcp-secret-manager
                passwordKey: pg-backup-password-prod
                restoreDrill:
                  run: "2026-12-01"
                  login: dp_restore_drill
                  passwordKey: pg-restore-drill-password-prod
                  tables: ["pgstac:pgstac.items"]
              data-platform:rds:
                region: eu-west-1
                identifier: metadata-prod
                engineVersion: "16"
                instanceClass: db.m6g.large
                allocatedStorageGb: 50
                maxAllocatedStorageGb: 1000
                vpcId: vpc-0a1b2c3d4e5f60001
                subnetIds: [subnet-0a1b2c3d4e5f60011, subnet-0a1b2c3d4e5f60012]
                allowedSecurityGroupIds: [sg-0a1b2c3d4e5f60021]
                allowedCidrs: [10.20.0.0/16]
                kmsKeyId: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
                backupWindow: 01:00-02:00
                maintenanceWindow: sat:03:00-sat:04:00
                monitoringIntervalSeconds: 30
                masterUsername: platform_admin
                parameters: {work_mem: "65536"}
                ssmParameterName: /data-platform/prod/database/connection
                databases:
                  - name: metadata
                    schemas: [runs]
                    extensions: [postgis]
                    pgstac: false
                    logins:
                      - name: dagster
                        access: owner
                manageRoles: true
                logicalBackups:
                  cluster: prod-eks
                  bucket: acme-lake-prod-rds-dumps
                  prefix: rds/prod
                  schedule: "15 2 * * *"
                  retentionDays: 35
                  databases: [metadata]
                  login: dp_backup
                  databaseCidr: 10.20.0.0/16
                  aws: {accountId: "123456789012", oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0}
                  alarmTopicArn: arn:aws:sns:eu-west-1:123456789012:data-platform-alerts
                  restoreDrill:
                    login: dp_restore_drill
                    schedule: "0 5 * * 1"
                    tables: ["metadata:runs.items"]
                proxy:
                  maxConnectionsPercent: 60
                  maxIdleConnectionsPercent: 20
                  connectionBorrowTimeoutSeconds: 60
                  loginSecrets:
                    - username: reporting
                      secretArn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:reporting-AbCdEf
              data-platform:buckets:
                cloud: gcp
                prefix: acme-lake
                gcpProject: acme-data-prod
                location: EU
                warehouse: true
                kmsKeyId: projects/acme-data-prod/locations/eu/keyRings/lake/cryptoKeys/buckets
                rawRetentionDays: 365
                rawColdAfterDays: 30
                rawArchiveAfterDays: 365
                noncurrentVersionExpirationDays: 30
                curatedPruneAfterDays: 730
                accessLogBucket: acme-lake-prod-logs
                identities:
                  ingestion: ["serviceAccount:ingest@acme-data-prod.iam.gserviceaccount.com"]
                  transformer: ["serviceAccount:transform@acme-data-prod.iam.gserviceaccount.com"]
                  readers: ["serviceAccount:api@acme-data-prod.iam.gserviceaccount.com"]
              data-platform:tenants:
                cluster: prod-eks
                aws:
                  accountId: "123456789012"
                  region: eu-west-1
                  oidcProvider: oidc.eks.eu-west-1.amazonaws.com/id/9F8E7D6C5B4A39281706F5E4D3C2B1A0
                operatorNamespace: stackgres
                monitoringNamespace: monitoring
                postgresVersion: "16"
                backups:
                  bucket: acme-tenant-backups-prod
                  endpoint: https://0123456789abcdef.r2.cloudflarestorage.com
                  credentialsParameter: /data-platform/prod/r2-backups
                  cronSchedule: "0 3 * * *"
                  retention: 14
                clients:
                  - name: acme
                    appNamespace: acme
                    database: acme
                    extensions: [postgis]
                    appAccess: owner
                    pgstac: false
                    instances: 3
                    cpu: "2"
                    memoryGiB: 8
                    storageGiB: 100
                    storageClass: gp3
                    citus: {shards: 2, instancesPerShard: 2}
                    pooling:
                      poolMode: transaction
                      defaultPoolSize: 20
                      maxClientConnections: 2000
                      maxDbConnections: 30
                      parameters: {server_idle_timeout: "600"}
                    scaling:
                      deployment: acme-api
                      maxReplicas: 4
                      cooldownSeconds: 300
                      triggers:
                        - type: cron
                          metadata: {timezone: Europe/Berlin, start: "0 8 * * 1-5", end: "0 20 * * 1-5", desiredReplicas: "2"}
                    decommission: false
              data-platform:dagster:
                cluster: prod-eks
                chartVersion: "1.13.8"
                namespace: dagster
                serviceAccount: dagster
                database:
                  server: rds
                  name: metadata
                  auth: iam
                  login: dagster
                  cidr: 10.20.0.0/16
                awsRoleArn: arn:aws:iam::123456789012:role/dp-prod-dagster
                webserverReplicas: 2
                maxConcurrentRuns: 20
                workerMemoryGiB: 16
                duckDbMemoryGiB: 12
                codeLocations:
                  - name: pipelines
                    image: ghcr.io/acme/data-pipelines:2026.11.2
                    module: acme_pipelines.definitions
                allowWebserverFrom: [ingress-nginx]
                authProxy:
                  enabled: true
                  oidcIssuerUrl: https://login.acme.example/realms/data
                  clientId: dagster-prod
                  emailDomains: [acme.com]
                  secretStore: aws-secrets-manager
                  clientSecretRef: dagster-oauth-client-secret-prod
                  cookieSecretRef: dagster-oauth-cookie-secret-prod
              data-platform:observability:
                cluster: prod-gke
                namespace: observability
                collectorChartVersion: "0.170.0"
                export:
                  endpoint: https://otlp.eu01.nr-data.net
                  headerName: api-key
                  headerSecret: {name: otlp-credentials, key: api-key}
                jaegerImage: jaegertracing/jaeger:2.20.0
                marquezImage: marquezproject/marquez:0.51.1
                marquez:
                  database: marquez
                  user: marquez
                  passwordStore: gcp-secret-manager
                  passwordKey: marquez-db-password
                telemetryClients: [dagster]
              data-platform:icebergCatalog:
                cluster: prod-gke
                namespace: iceberg
                version: "1.7.0"
                realm: data-platform
                catalogName: warehouse
                allowClientsFrom: [data-apps]
                replicas: 3
                database:
                  server: cloudSql
                  name: marquez
                  login: marquez
                  passwordStore: gcp-secret-manager
                  passwordKey: polaris-db-password-prod
              data-platform:alerts:
                gcp:
                  notificationChannels: [projects/acme-data-prod/notificationChannels/9182736450918273645]
                  emails: [dba-oncall@acme.example]
                  maxConnections: 400
                aws:
                  snsTopicArn: arn:aws:sns:eu-west-1:123456789012:data-platform-prod-alerts
                  maxConnections: 400
                thresholds: {cpuPercent: 75, memoryPercent: 90, diskCeilingPercent: 90,
                  connectionsPercent: 80, freeableMemoryMiB: 256, readIops: 2400, writeLatencyMs: 20, forMinutes: 5,
                  replicaLagSeconds: 120}
                tenants:
                  prometheusRules: true
                  ruleLabels: {release: monitoring}
            """;

    static final String EVERY_LOCAL_KEY = """
            config:
              data-platform:environment: dev
              pulumi:disable-default-providers: [kubernetes]
              data-platform:clusters:
                laptop: {kind: kubeconfig, context: kind-data-platform}
              data-platform:local:
                cluster: laptop
                namespace: data-local
                podCidr: 10.42.0.0/16
                postgresStorageGiB: 8
                minioStorageGiB: 20
                databases:
                  - name: dagster
                    logins:
                      - name: dagster
                        access: owner
            """;

    static Set<String> section(String heading) throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n## " + heading + "\n");
        if (start < 0) {
            throw new AssertionError("README has no section '## " + heading + "'");
        }
        int end = readme.indexOf("\n## ", start + 1);
        var keys = new TreeSet<String>();
        var matcher = FIRST_COLUMN_KEY.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }

    @Test
    void everyConfigKeyIsDocumentedAndEveryDocumentedKeyExists() throws IOException {
        var context = new ConfigNode.Context("Pulumi.prod.yaml");
        PlatformConfigParser.parse(StackFile.parse("Pulumi.prod.yaml", "prod", EVERY_KEY), context);
        var read = new TreeSet<>(context.keysRead());
        // Keys that exclude one another: the RDS restore drill is scheduled (above) or on demand (run).
        var onDemand = new ConfigNode.Context("Pulumi.prod.yaml");
        PlatformConfigParser.parse(StackFile.parse("Pulumi.prod.yaml", "prod", EVERY_KEY.replace(
                "schedule: \"0 5 * * 1\"", "run: \"2026-12-01\"")), onDemand);
        read.addAll(onDemand.keysRead());
        // data-platform:local excludes the cloud blocks: its keys come from a local stack that sets them all.
        var local = new ConfigNode.Context("Pulumi.local.yaml");
        PlatformConfigParser.parse(StackFile.parse("Pulumi.local.yaml", "local", EVERY_LOCAL_KEY), local);
        read.addAll(local.keysRead());
        assertEquals(read, section("Configuration reference"));
    }

    @Test
    void everyStackOutputIsDocumented() throws IOException {
        var outputs = new TreeSet<String>();
        for (String stack : new String[]{"dev", "stage", "prod", "local"}) {
            outputs.addAll(dev.dataplatform.program.CommittedPlans.of(stack).recording().outputs().keySet());
        }
        assertEquals(outputs, section("Stack outputs"));
    }
}
