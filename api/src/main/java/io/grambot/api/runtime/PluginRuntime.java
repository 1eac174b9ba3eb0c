package io.grambot.api.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The core's view of plugins and their instances, registered as a service for the console, shell and checks. */
@ProviderType
public interface PluginRuntime {

    /** The plugins installed bundles declare, by id. */
    List<PluginInfo> plugins();

    /** Every instance configuration, including disabled and failed ones, by instance id. */
    List<InstanceStatus> instances();

    /** One instance by id. */
    Optional<InstanceStatus> instance(String instanceId);

    /**
     * A plugin's settings as JSON Schema (draft 2020-12), generated from its Metatype declaration; empty if the
     * plugin is not installed or declares no settings.
     */
    Optional<Map<String, Object>> settingsSchema(String pluginId);

    /**
     * What is wrong with {@code settings.json} (file, line, column and reason) while it cannot be used: it does not
     * parse, breaks the format, or gives a bot settings the bot declaration refuses. It changes nothing while it is
     * broken.
     */
    Optional<String> settingsFileProblem();

    /**
     * Runs the connection test of a running instance (the {@code ConnectionTest} service it publishes), within a
     * time limit; the result says why when the instance is not running, offers no test, throws or hangs. The result
     * is also kept as the instance's last test.
     */
    io.grambot.api.ConnectionTestResult testConnection(String instanceId);

    /** The result of the instance's last connection test, if one ran since the start. */
    Optional<io.grambot.api.ConnectionTestResult> lastConnectionTest(String instanceId);
}
