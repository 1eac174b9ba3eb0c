package io.grambot.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A check of an instance's credentials and endpoint without side effects (Bacon's "test connection").
 * A plugin offers it by publishing this service, with the instance's {@value PluginConstants#INSTANCE_ID},
 * usually from the same component that publishes its main service.
 */
@ConsumerType
@FunctionalInterface
public interface ConnectionTest {

    /** Runs the check; never throws, a failure is a result with its reason. */
    ConnectionTestResult testConnection();
}
