package io.grambot.api;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A plugin instance's view of itself, registered by the core for every enabled instance.
 *
 * <p>A plugin component receives its own context through a mandatory reference named
 * {@value PluginConstants#CONTEXT_REFERENCE}; the core targets that reference at the instance's
 * context, so the component activates only while its instance is enabled and its settings are valid.
 */
@ProviderType
public interface PluginContext {

    /** The instance id: the name of the instance's factory configuration. */
    String instanceId();

    /** The plugin id, for example {@code telegram}. */
    String pluginId();

    /** Whether the instance is enabled; a context is only published for enabled instances. */
    boolean enabled();

    /** The instance's validated settings, without secrets and without framework properties. */
    Map<String, Object> settings();

    /** The engine-wide settings every instance can read. */
    Map<String, Object> engineSettings();

    /** The instance's own data directory, {@code <data>/plugins/<instanceId>}, created on first call. */
    Path dataDirectory();

    /** The instance's own secrets; no other instance can read them. */
    Secrets secrets();

    /**
     * Enqueues a plugin event stamped with this instance's ids.
     *
     * @param type the event type, for example {@code message.received}
     * @param payload JSON-like data: maps, lists, strings, numbers, booleans, {@code null}
     * @return the accepted event with its generated id
     * @throws PluginException if the queue refuses the event (for example when it is full)
     */
    PluginEvent emit(String type, Map<String, Object> payload) throws PluginException;
}
