package dev.dataplatform.guardrails;

import java.util.Set;

/** Type tokens of resources that hold data: replacing or deleting one loses it. */
public final class StatefulTypes {
    public static final Set<String> TOKENS = Set.of(
            "gcp:sql/databaseInstance:DatabaseInstance",
            "gcp:sql/database:Database",
            "gcp:storage/bucket:Bucket",
            "aws:rds/instance:Instance",
            "aws:rds/cluster:Cluster",
            "aws:s3/bucket:Bucket",
            "aws:s3/bucketV2:BucketV2",
            "postgresql:index/database:Database",
            "kubernetes:core/v1:PersistentVolumeClaim",
            "kubernetes:stackgres.io/v1:SGCluster",
            "kubernetes:stackgres.io/v1alpha1:SGShardedCluster");

    /**
     * Label a component puts on a stateful resource it deliberately leaves unprotected so it can be
     * removed (a decommissioned tenant): the plan warns instead of failing.
     */
    public static final String DECOMMISSION_LABEL = "data-platform.dev/decommission";

    /**
     * Name prefix of the restore drill's scratch databases ({@code restore_drill_<database>}): the drill empties them
     * after every run, so they hold no durable data, and they come and go with the drill's config.
     */
    public static final String SCRATCH_DATABASE_PREFIX = "restore_drill_";

    private StatefulTypes() {
    }

    public static boolean isStateful(String type) {
        return TOKENS.contains(type);
    }
}
