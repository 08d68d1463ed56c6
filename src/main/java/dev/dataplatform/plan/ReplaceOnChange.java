package dev.dataplatform.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Input paths whose change makes the provider replace a resource (delete and create) instead of updating
 * it, for the resource types the program declares, at the pinned provider versions. Bridged providers
 * take this from the upstream Terraform schema ({@code ForceNew}); pulumi-kubernetes replaces on a new
 * name or namespace. Each row names its source in docs/upstream-facts.md ("Replacement on change").
 * A type missing here is compared as always updatable, so a missing row under-reports replacements;
 * {@code ReplaceOnChangeTest} keeps every type of the committed stacks covered.
 */
public final class ReplaceOnChange {

    /**
     * For every Kubernetes object: a new name or namespace (pulumi-kubernetes
     * provider/pkg/provider/provider.go@v4.0.0, Diff: forceNewFields). Helm releases are excluded: at
     * v4.0.0 their replace paths never match (pulumi-kubernetes#2509, fixed in v4.1.0), so a changed
     * release name or namespace is an update there.
     */
    static final List<String> KUBERNETES = List.of("metadata.name", "metadata.namespace");

    private static final String GCP = "google-beta services/*@v5.0.0 (pulumi-gcp v7.0.0 upstream)";

    /**
     * Type token to the input paths that force replacement (dotted, Pulumi names). Sources: the upstream
     * Terraform schemas the pinned bridged providers build on (google-beta v5.0.0 for pulumi-gcp 7.0.0,
     * terraform-provider-aws 5.x for pulumi-aws 6.83.0, terraform-provider-postgresql v1.27.0 for
     * pulumi-postgresql 3.18.0) and pulumi-kubernetes diff.go@v4.0.0; see docs/upstream-facts.md.
     */
    static final Map<String, List<String>> TABLE = Map.ofEntries(
            Map.entry("gcp:sql/databaseInstance:DatabaseInstance", List.of("name", "region", "project",
                    "encryptionKeyName", "settings.timeZone", "settings.collation", "settings.diskType",
                    "replicaConfiguration")),
            Map.entry("gcp:sql/user:User", List.of("name", "instance", "host", "type", "project")),
            Map.entry("gcp:sql/database:Database", List.of("name", "instance", "project")),
            Map.entry("gcp:storage/bucket:Bucket", List.of("name", "location", "project", "customPlacementConfig.dataLocations")),
            Map.entry("gcp:storage/bucketIAMMember:BucketIAMMember", List.of("bucket", "role", "member", "condition")),
            Map.entry("gcp:projects/iAMMember:IAMMember", List.of("project", "role", "member", "condition")),
            Map.entry("gcp:serviceaccount/iAMMember:IAMMember", List.of("serviceAccountId", "role", "member", "condition")),
            Map.entry("gcp:serviceaccount/account:Account", List.of("accountId", "project")),
            Map.entry("gcp:monitoring/alertPolicy:AlertPolicy", List.of("project")),
            Map.entry("gcp:monitoring/notificationChannel:NotificationChannel", List.of("project")),
            Map.entry("aws:cloudwatch/metricAlarm:MetricAlarm", List.of("name")),
            Map.entry("aws:ec2/securityGroup:SecurityGroup", List.of("name", "namePrefix", "description", "vpcId")),
            Map.entry("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", List.of("securityGroupId")),
            Map.entry("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", List.of("securityGroupId")),
            Map.entry("aws:rds/proxy:Proxy", List.of("engineFamily", "vpcSubnetIds")),
            Map.entry("aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup", List.of("dbProxyName")),
            Map.entry("aws:rds/proxyTarget:ProxyTarget", List.of("dbProxyName", "targetGroupName", "dbInstanceIdentifier",
                    "dbClusterIdentifier")),
            Map.entry("aws:iam/policy:Policy", List.of("name", "namePrefix", "path", "description")),
            Map.entry("aws:iam/role:Role", List.of("name", "namePrefix", "path")),
            Map.entry("aws:iam/rolePolicy:RolePolicy", List.of("name", "namePrefix", "role")),
            Map.entry("aws:iam/rolePolicyAttachment:RolePolicyAttachment", List.of("role", "policyArn")),
            Map.entry("aws:rds/instance:Instance", List.of("engine", "kmsKeyId", "storageEncrypted", "dbName", "username",
                    "availabilityZone", "characterSetName", "ncharCharacterSetName", "timezone", "snapshotIdentifier",
                    "customIamInstanceProfile", "backupTarget", "restoreToPointInTime", "s3Import")),
            Map.entry("aws:rds/parameterGroup:ParameterGroup", List.of("name", "namePrefix", "family", "description")),
            Map.entry("aws:rds/subnetGroup:SubnetGroup", List.of("name", "namePrefix")),
            Map.entry("aws:s3/bucketV2:BucketV2", List.of("bucket", "bucketPrefix", "objectLockEnabled",
                    "objectLockConfiguration.objectLockEnabled")),
            Map.entry("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", List.of("bucket", "expectedBucketOwner")),
            Map.entry("aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
                    List.of("bucket", "expectedBucketOwner", "objectLockEnabled")),
            Map.entry("aws:s3/bucketOwnershipControls:BucketOwnershipControls", List.of("bucket")),
            Map.entry("aws:s3/bucketPolicy:BucketPolicy", List.of("bucket")),
            Map.entry("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", List.of("bucket")),
            Map.entry("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
                    List.of("bucket", "expectedBucketOwner")),
            Map.entry("aws:s3/bucketVersioningV2:BucketVersioningV2", List.of("bucket", "expectedBucketOwner")),
            Map.entry("aws:ssm/parameter:Parameter", List.of("name", "dataType")),
            Map.entry("postgresql:index/database:Database", List.of("template", "encoding", "lcCollate", "lcCtype")),
            Map.entry("postgresql:index/defaultPrivileges:DefaultPrivileges",
                    List.of("role", "database", "owner", "schema", "objectType", "withGrantOption")),
            Map.entry("postgresql:index/extension:Extension", List.of("name", "database")),
            Map.entry("postgresql:index/grant:Grant",
                    List.of("role", "database", "schema", "objectType", "objects", "columns", "withGrantOption")),
            Map.entry("postgresql:index/grantRole:GrantRole", List.of("role", "grantRole", "withAdminOption")),
            Map.entry("postgresql:index/role:Role", List.of()),
            Map.entry("postgresql:index/schema:Schema", List.of("database")),
            Map.entry("pulumi:providers:postgresql", List.of()),
            // Providers: the engine asks the provider itself (DiffConfig) whether a config change replaces it and the
            // resources it manages; PlanDiff marks a resource moved to another of the program's providers as replaced.
            Map.entry("pulumi:providers:kubernetes", List.of()),
            Map.entry("pulumi:providers:aws", List.of()),
            // pulumi-kubernetes diff.go@v4.0.0: per-kind immutable fields, on top of KUBERNETES.
            Map.entry("kubernetes:apps/v1:Deployment", List.of("spec.selector")),
            Map.entry("kubernetes:core/v1:Service", List.of("spec.clusterIP")),
            Map.entry("kubernetes:core/v1:ConfigMap", List.of("data", "binaryData")),
            Map.entry("kubernetes:batch/v1:Job", List.of("spec.completions", "spec.parallelism", "spec.selector", "spec.template")),
            Map.entry("kubernetes:helm.sh/v3:Release", List.of()));

    /**
     * Replacements that depend on the old and new values (CustomizeDiff in the upstream schema): a Cloud SQL
     * disk that shrinks (ForceNewIfChange with IsDiskShrinkage), a private network that is cleared, an SSM
     * parameter moved from the Advanced to the Standard tier.
     */
    static boolean conditional(String type, String path, Object before, Object after) {
        return switch (type + " " + path.replaceAll("\\.\\d+(?=\\.|$)", "")) {
            case "gcp:sql/databaseInstance:DatabaseInstance settings.diskSize" ->
                    before instanceof Number b && after instanceof Number a && a.doubleValue() < b.doubleValue();
            case "gcp:sql/databaseInstance:DatabaseInstance settings.ipConfiguration.privateNetwork" ->
                    before != null && !"".equals(before) && (after == null || "".equals(after));
            case "aws:ssm/parameter:Parameter tier" -> "Advanced".equals(before) && "Standard".equals(after);
            default -> false;
        };
    }

    private ReplaceOnChange() {
    }

    /** Whether the table has a row for the type (Kubernetes types always do). */
    static boolean covers(String type) {
        return type.startsWith("kubernetes:") || TABLE.containsKey(type);
    }

    /** The changed paths that force a replacement of a resource of the given type. */
    static List<String> forcing(String type, Collection<String> changedPaths, Object before, Object after) {
        List<String> rules = new ArrayList<>(TABLE.getOrDefault(type, List.of()));
        if (type.startsWith("kubernetes:") && !type.equals("kubernetes:helm.sh/v3:Release")) {
            rules.addAll(KUBERNETES);
        }
        var result = new ArrayList<String>();
        for (String path : changedPaths) {
            if (conditional(type, path, dig(before, path), dig(after, path))) {
                result.add(path);
                continue;
            }
            for (String rule : rules) {
                if (matches(rule, path)) {
                    result.add(path);
                    break;
                }
            }
        }
        return List.copyOf(result);
    }

    private static Object dig(Object root, String path) {
        return dev.dataplatform.engine.PlannedResource.dig(root, path).orElse(null);
    }

    /**
     * A changed path forces replacement when it is the rule's path, lies below it, or contains it (a whole
     * block changed). List indexes in the changed path are skipped, so {@code settings.0.tier} matches
     * {@code settings.tier}.
     */
    static boolean matches(String rule, String path) {
        String plain = path.replaceAll("\\.\\d+(?=\\.|$)", "");
        return plain.equals(rule) || plain.startsWith(rule + ".") || rule.startsWith(plain + ".");
    }
}
