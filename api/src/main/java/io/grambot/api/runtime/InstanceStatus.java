package io.grambot.api.runtime;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One plugin instance as the core sees it.
 *
 * @param instanceId the instance id (the factory configuration's name)
 * @param pluginId the plugin it is an instance of
 * @param pid the configuration's PID
 * @param state where it stands
 * @param reason why it is {@link InstanceState#FAILED failed} or still {@link InstanceState#LOADING loading};
 *        empty otherwise
 * @param settings its settings as configured, secret values masked
 * @param secretKeys the keys that have a value in the secrets store
 * @param bundle the symbolic name of the bundle serving it, empty when no bundle declares the plugin
 */
public record InstanceStatus(String instanceId, String pluginId, String pid, InstanceState state, String reason,
        Map<String, Object> settings, Set<String> secretKeys, String bundle) {

    public InstanceStatus {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        settings = Map.copyOf(settings);
        secretKeys = Set.copyOf(secretKeys);
        bundle = bundle == null ? "" : bundle;
    }
}
