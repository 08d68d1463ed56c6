package dev.dataplatform.testing;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * A class whose {@code @BeforeAll} skips (a missing conformance file, no PostgreSQL binaries) has every one of
 * its tests reported as skipped with that message. Without this, JUnit marks only the class as aborted and
 * Maven Surefire reports it as 0 tests and 0 skipped: the tests would silently vanish from the report.
 * Registered for every test class through JUnit's extension auto-detection (junit-platform.properties and
 * META-INF/services in src/testFixtures/resources). A failure in {@code @BeforeAll} (as under {@code CI=true})
 * is not touched.
 */
public final class SkipEveryTestWhenSetUpIsSkipped implements LifecycleMethodExecutionExceptionHandler, BeforeEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SkipEveryTestWhenSetUpIsSkipped.class);
    private static final String REASON = "skipped in @BeforeAll";

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        if (throwable instanceof TestAbortedException) {
            // Kept on the class's context; its tests (and nested classes) see it through their parent contexts.
            context.getStore(NAMESPACE).put(REASON, String.valueOf(throwable.getMessage()));
            return;
        }
        throw throwable;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        String reason = context.getStore(NAMESPACE).get(REASON, String.class);
        if (reason != null) {
            Assumptions.abort(reason);
        }
    }
}
