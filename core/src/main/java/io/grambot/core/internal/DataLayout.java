package io.grambot.core.internal;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/**
 * Where Grambot keeps its runtime data: one directory, {@code .scout} in the working directory unless the
 * framework property {@value #DATA_PROPERTY} names another.
 */
public record DataLayout(Path root) {

    static final String DATA_PROPERTY = "grambot.data";

    public static DataLayout of(BundleContext context) {
        String configured = context.getProperty(DATA_PROPERTY);
        return new DataLayout(Path.of(configured == null || configured.isBlank() ? ".scout" : configured)
                .toAbsolutePath().normalize());
    }

    Path secretsFile() {
        return root.resolve("secrets.json");
    }

    /** The user-editable plugin instances and engine settings, {@code settings.json}. */
    Path settingsFile() {
        return root.resolve("settings.json");
    }

    /** The event journal's segment files. */
    public Path eventsDirectory() {
        return root.resolve("events");
    }

    /** The audit log of action attempts ({@code audit.jsonl} and its rotated predecessors). */
    public Path auditDirectory() {
        return root.resolve("audit");
    }

    /** Bookkeeping the core keeps for itself (for example the last reconciled settings). */
    Path stateDirectory() {
        return root.resolve("state");
    }

    /** Where a bot keeps its conversations; the id has been checked by {@link InstanceIds#checkInstanceId}. */
    Path botDirectory(String botId) {
        return root.resolve("bots").resolve(botId);
    }

    /** Where a flow keeps its run records; the id has been checked by {@link InstanceIds#checkId}. */
    public Path flowDirectory(String flowId) {
        return root.resolve("flows").resolve(flowId);
    }

    /** The data directory of one instance; the id has been checked by {@link InstanceIds#checkInstanceId}. */
    Path instanceDirectory(String instanceId) {
        return root.resolve("plugins").resolve(instanceId);
    }
}
