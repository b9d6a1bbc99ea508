package dev.gymlink.it;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Says in one line why a container test class is about to be skipped. The skipping itself is
 * {@code @Testcontainers(disabledWithoutDocker = true)}'s, whose reason only reaches the test
 * report; register this extension before that annotation so the line comes first.
 */
final class DockerSkipNotice implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty() && !DockerClientFactory.instance().isDockerAvailable()) {
            System.err.println("SKIPPED " + context.getDisplayName() + ": no Docker engine answers here; the container"
                    + " integration tests need one (fast tests only, no Docker: ./mvnw test)");
        }
        return ConditionEvaluationResult.enabled("only reports; @Testcontainers decides");
    }
}
