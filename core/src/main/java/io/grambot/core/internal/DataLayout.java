package io.grambot.core.internal;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/**
 * Where Grambot keeps its runtime data: one directory, {@code .scout} in the working directory unless the
 * framework property {@value #DATA_PROPERTY} names another.
 */
record DataLayout(Path root) {

    static final String DATA_PROPERTY = "grambot.data";

    static DataLayout of(BundleContext context) {
        String configured = context.getProperty(DATA_PROPERTY);
        return new DataLayout(Path.of(configured == null || configured.isBlank() ? ".scout" : configured)
                .toAbsolutePath().normalize());
    }

    Path secretsFile() {
        return root.resolve("secrets.json");
    }

    /** The data directory of one instance; the id has been checked by {@link InstanceIds#checkInstanceId}. */
    Path instanceDirectory(String instanceId) {
        return root.resolve("plugins").resolve(instanceId);
    }
}
