package dev.dataplatform.config;

import dev.dataplatform.dagster.DagsterStack;

import java.util.List;

/**
 * data-platform:dagster: Dagster on the environment's Kubernetes cluster, its instance database on
 * Cloud SQL or RDS (checked against those components' config).
 *
 * @param server        {@code cloudSql}, {@code rds} or {@code local} (data-platform:local's PostgreSQL)
 * @param login         rds: the database login the instance uses; cloudSql IAM: null (the workload's IAM user)
 * @param databaseCidr  where egress to the database may go; derived from the Cloud SQL IP when null
 * @param authProxy     oauth2-proxy in front of the webserver; null when off (dev by default)
 */
public record DagsterConfig(String chartVersion, String namespace, String serviceAccount, Server server, String database,
                            DagsterStack.Auth auth, String login, String passwordStore, String passwordKey,
                            String awsRoleArn, String databaseCidr, Integer webserverReplicas, int maxConcurrentRuns,
                            Integer workerMemoryGiB, Integer duckDbMemoryGiB, List<DagsterStack.CodeLocation> codeLocations,
                            List<String> allowWebserverFrom, DagsterStack.AuthProxy authProxy) {

    /** Which database component holds the instance database. */
    public enum Server { CLOUD_SQL, RDS, LOCAL }
}
