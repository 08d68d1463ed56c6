package dev.dataplatform.config;

import dev.dataplatform.iceberg.IcebergCatalog;

import java.util.List;

/**
 * data-platform:icebergCatalog: Apache Polaris on a database of the stack's Cloud SQL or RDS, over the warehouse bucket
 * (see {@link IcebergCatalogConfigParser} for every key and default).
 *
 * @param login         the owner login Polaris connects as
 * @param passwordStore Cloud SQL: the ClusterSecretStore with the login's password; null on RDS (IAM tokens)
 * @param databaseCidr  RDS: where egress to the instance may go; null on Cloud SQL (its private IP)
 * @param awsAccountId  RDS/S3: the account of the IRSA roles; null on GCP
 * @param oidcProvider  RDS/S3: the EKS cluster's OIDC issuer; null on GCP
 * @param replicas      null: the environment's default
 */
public record IcebergCatalogConfig(String namespace, String version, String realm, String catalogName,
                                   List<String> allowClientsFrom, IcebergCatalog.Server server, String database,
                                   String login, String passwordStore, String passwordKey, String databaseCidr,
                                   String awsAccountId, String oidcProvider, Integer replicas) {
}
