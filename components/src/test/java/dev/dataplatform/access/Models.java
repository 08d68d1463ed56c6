package dev.dataplatform.access;

import java.util.List;

/** Access models the tests share. */
final class Models {
    private Models() {
    }

    /** A STAC catalog database with an app schema and one login per access level. */
    static AccessModel catalog() {
        return AccessModel.of(new DatabaseModel("pgstac", List.of("ingest"), List.of(), true, List.of(
                new Login("migrator", Access.OWNER),
                new Login("ingest", Access.WRITER),
                new Login("api@acme-data.iam", Access.READER))));
    }

    /** Two databases sharing a login with different access. */
    static AccessModel twoDatabases() {
        return AccessModel.of(
                new DatabaseModel("metadata", List.of(), List.of("postgis"), false, List.of(
                        new Login("migrator", Access.OWNER), new Login("etl", Access.WRITER))),
                new DatabaseModel("tiles", List.of("tiles"), List.of("postgis"), false, List.of(
                        new Login("migrator", Access.OWNER), new Login("etl", Access.READER))));
    }
}
