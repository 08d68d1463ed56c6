package dev.dataplatform.config;

import dev.dataplatform.access.Access;
import dev.dataplatform.stackgres.StackGresTenant;
import dev.dataplatform.stackgres.TenantPooling;

import java.util.List;

/**
 * data-platform:tenants: StackGres clusters, one per client, on the environment's EKS cluster.
 *
 * @param aws                 account, region and OIDC issuer for the IRSA roles of SSM access: those of the EKS
 *                            cluster the tenants are placed on (data-platform:clusters)
 * @param operatorNamespace   where the StackGres operator runs
 * @param monitoringNamespace where a Prometheus scraping the exporter directly runs
 * @param kedaNamespace       where the KEDA operator runs (its service account assumes the scalers' AWS roles)
 * @param postgresVersion     PostgreSQL major version of every tenant
 * @param backups             the R2 (S3-compatible) backup target; required in stage and prod
 * @param clients             one entry per client
 */
public record TenantsConfig(StackGresTenant.AwsIdentity aws, String operatorNamespace, String monitoringNamespace,
                            String kedaNamespace, String postgresVersion, StackGresTenant.BackupTarget backups, List<Client> clients) {

    /** The same with the IRSA identity of the EKS cluster the tenants are placed on. */
    TenantsConfig withAws(StackGresTenant.AwsIdentity identity) {
        return new TenantsConfig(identity, operatorNamespace, monitoringNamespace, kedaNamespace, postgresVersion, backups, clients);
    }

    /** One client: its name, application namespace, database and sizing; null fields use the defaults. */
    public record Client(String name, String appNamespace, String database, List<String> extensions, Access appAccess,
                         StackGresTenant.Size size, String storageClass, StackGresTenant.Citus citus,
                         StackGresTenant.Scaling scaling, boolean decommission, boolean pgstac,
                         boolean createAppNamespace, TenantPooling.Overrides pooling) {
    }
}
