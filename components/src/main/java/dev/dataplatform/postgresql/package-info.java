/**
 * A small hand-written typed binding for the pulumi-postgresql provider (plugin version
 * {@value dev.dataplatform.postgresql.PostgresqlPlugin#VERSION}), because its Java SDK is not served
 * here. Type tokens and property names are the provider's own, so the published SDK
 * ({@code com.pulumi:postgresql}) can replace this package without changing state: swap the imports.
 * Only the resources and properties the access model needs are bound.
 */
package dev.dataplatform.postgresql;
