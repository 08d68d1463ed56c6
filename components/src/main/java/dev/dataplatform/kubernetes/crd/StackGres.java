package dev.dataplatform.kubernetes.crd;

import java.util.List;
import java.util.Map;

/**
 * Typed specs of the StackGres 1.18 resources this project declares. Versions: SGCluster,
 * SGInstanceProfile, SGPostgresConfig, SGPoolingConfig and SGScript are {@code stackgres.io/v1}; SGObjectStorage is
 * {@code v1beta1}; SGShardedCluster (Citus) is {@code v1alpha1}. Field names are the CRDs' own.
 */
public final class StackGres {
    public static final CrdKind CLUSTER = new CrdKind("stackgres.io/v1", "SGCluster");
    public static final CrdKind SHARDED_CLUSTER = new CrdKind("stackgres.io/v1alpha1", "SGShardedCluster");
    public static final CrdKind INSTANCE_PROFILE = new CrdKind("stackgres.io/v1", "SGInstanceProfile");
    public static final CrdKind POSTGRES_CONFIG = new CrdKind("stackgres.io/v1", "SGPostgresConfig");
    public static final CrdKind OBJECT_STORAGE = new CrdKind("stackgres.io/v1beta1", "SGObjectStorage");
    public static final CrdKind SCRIPT = new CrdKind("stackgres.io/v1", "SGScript");
    public static final CrdKind POOLING_CONFIG = new CrdKind("stackgres.io/v1", "SGPoolingConfig");

    /** The port of the cluster's Service {@code <cluster>} (PgBouncer in front of the primary). */
    public static final int SERVICE_PORT = 5432;

    private StackGres() {
    }

    /** {@code name}/{@code key} of a Secret entry. */
    public record SecretKeySelector(String name, String key) {
    }

    public record InstanceProfileSpec(String cpu, String memory) implements CrdSpec {
        public CrdKind kind() {
            return INSTANCE_PROFILE;
        }
    }

    public record PostgresConfigSpec(String postgresVersion, @Field("postgresql.conf") Map<String, String> postgresqlConf)
            implements CrdSpec {
        public CrdKind kind() {
            return POSTGRES_CONFIG;
        }
    }

    /** PgBouncer settings; StackGres writes them to the {@code [pgbouncer]} section of pgbouncer.ini (string values). */
    public record PoolingConfigSpec(PgBouncer pgBouncer) implements CrdSpec {
        public CrdKind kind() {
            return POOLING_CONFIG;
        }

        public static PoolingConfigSpec of(Map<String, String> pgbouncerSection) {
            return new PoolingConfigSpec(new PgBouncer(new PgBouncerIni(pgbouncerSection)));
        }
    }

    public record PgBouncer(@Field("pgbouncer.ini") PgBouncerIni pgbouncerIni) {
    }

    public record PgBouncerIni(Map<String, String> pgbouncer) {
    }

    public record ObjectStorageSpec(String type, S3Compatible s3Compatible) implements CrdSpec {
        public CrdKind kind() {
            return OBJECT_STORAGE;
        }

        /** An S3-compatible store such as Cloudflare R2 (region {@code auto}, path-style addressing). */
        public static ObjectStorageSpec s3Compatible(String bucket, String endpoint, String region,
                                                     SecretKeySelector accessKeyId, SecretKeySelector secretAccessKey) {
            return new ObjectStorageSpec("s3Compatible", new S3Compatible(bucket, region, endpoint, true,
                    new AwsCredentials(new SecretKeySelectors(accessKeyId, secretAccessKey))));
        }
    }

    public record S3Compatible(String bucket, String region, String endpoint, Boolean enablePathStyleAddressing,
                               AwsCredentials awsCredentials) {
    }

    /** Credentials only as Secret references: the object storage never holds a key. */
    public record AwsCredentials(SecretKeySelectors secretKeySelectors) {
    }

    public record SecretKeySelectors(SecretKeySelector accessKeyId, SecretKeySelector secretAccessKey) {
    }

    public record ScriptSpec(Boolean managedVersions, Boolean continueOnError, List<ScriptEntry> scripts) implements CrdSpec {
        public CrdKind kind() {
            return SCRIPT;
        }
    }

    /**
     * One SQL entry, run by the operator as the superuser in {@code database}. {@code id} is fixed
     * here so the operator never re-numbers entries; {@code script} and {@code scriptFrom} exclude
     * each other. {@code retryOnError}: the operator retries a failed entry with exponential back-off
     * (up to 5 minutes) instead of giving up on it; null leaves StackGres's default (false).
     */
    public record ScriptEntry(Integer id, String name, String database, String wrapInTransaction, String script,
                              ScriptFrom scriptFrom, Boolean retryOnError) {
        public ScriptEntry {
            if ((script == null) == (scriptFrom == null)) {
                throw new IllegalArgumentException("script entry '" + name + "': exactly one of script and scriptFrom");
            }
        }

        public ScriptEntry(Integer id, String name, String database, String wrapInTransaction, String script,
                           ScriptFrom scriptFrom) {
            this(id, name, database, wrapInTransaction, script, scriptFrom, null);
        }
    }

    public record ScriptFrom(SecretKeySelector secretKeyRef) {
    }

    public record ClusterSpec(Integer instances, String profile, Postgres postgres, String sgInstanceProfile, Pods pods,
                              Configurations configurations, ManagedSql managedSql) implements CrdSpec {
        public CrdKind kind() {
            return CLUSTER;
        }
    }

    public record Postgres(String version, List<Extension> extensions) {
    }

    public record Extension(String name) {
    }

    /**
     * Pod settings. {@code disableEnvoy} and {@code disableConnectionPooling} decide which ports the
     * pods listen on (see dev.dataplatform.stackgres.OperatorFacts), so the tenant states them.
     */
    public record Pods(PersistentVolume persistentVolume, Boolean disableConnectionPooling, Boolean disableEnvoy) {
        public Pods(PersistentVolume persistentVolume) {
            this(persistentVolume, null, null);
        }
    }

    public record PersistentVolume(String size, String storageClass) {
    }

    public record Configurations(String sgPostgresConfig, String sgPoolingConfig, List<Backup> backups,
                                 Observability observability, Binding binding) {
    }

    public record Backup(String sgObjectStorage, String cronSchedule, Integer retention) {
    }

    public record Observability(Boolean prometheusAutobind) {
    }

    /**
     * The service binding: StackGres writes Secret {@code <cluster>-binding} (keys {@code uri},
     * {@code host}, {@code port}, {@code username}, {@code password}, ...) for this login.
     */
    public record Binding(String provider, String database, String username, SecretKeySelector password) {
    }

    public record ManagedSql(List<ScriptRef> scripts) {
    }

    public record ScriptRef(String sgScript) {
    }

    public record ShardedClusterSpec(String type, String database, Postgres postgres, Coordinator coordinator, Shards shards,
                                     ShardedConfigurations configurations) implements CrdSpec {
        public CrdKind kind() {
            return SHARDED_CLUSTER;
        }
    }

    public record Coordinator(Integer instances, String sgInstanceProfile, Pods pods, NodeConfigurations configurations,
                              ManagedSql managedSql) {
    }

    public record Shards(Integer clusters, Integer instancesPerCluster, String sgInstanceProfile, Pods pods,
                         NodeConfigurations configurations) {
    }

    public record NodeConfigurations(String sgPostgresConfig, String sgPoolingConfig) {
    }

    public record ShardedConfigurations(List<Backup> backups, Observability observability, Binding binding) {
    }
}
