package io.grambot.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.connector.Connector;
import io.grambot.api.image.ImageGenerator;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.tool.Tool;
import io.grambot.testkit.internal.Waits;

/** A plugin instance a test made with {@link Grambot#instance}: its status, services, connection test and data. */
public final class PluginInstance {

    /** The service types the core's registries index; an instance is usable once they have bound its services. */
    private static final List<Class<?>> INDEXED = List.of(Connector.class, InferenceProvider.class, Tool.class,
            ImageGenerator.class);

    private final Grambot grambot;
    private final String pluginId;
    private final String instanceId;
    private final Configuration configuration;

    PluginInstance(Grambot grambot, String pluginId, String instanceId, Configuration configuration) {
        this.grambot = grambot;
        this.pluginId = pluginId;
        this.instanceId = instanceId;
        this.configuration = configuration;
    }

    public String id() {
        return instanceId;
    }

    public String pluginId() {
        return pluginId;
    }

    /** The service filter that selects what this instance publishes. */
    public String filter() {
        return "(" + PluginConstants.INSTANCE_ID + "=" + instanceId + ")";
    }

    /** The core's view of the instance now. */
    public InstanceStatus status() {
        return grambot.runtime().instance(instanceId)
                .orElseThrow(() -> new AssertionError("the core knows no instance '" + instanceId + "'"));
    }

    /** The instance's service of this type, waiting for it; for example its {@code Tool} or {@code Connector}. */
    public <T> T service(Class<T> type) {
        ServiceReference<T> reference = Waits.service(grambot.bundleContext(), type, filter(), grambot.timeout());
        T service = grambot.bundleContext().getService(reference);
        if (service == null) {
            throw new AssertionError("the " + type.getSimpleName() + " of instance '" + instanceId + "' went away");
        }
        return service;
    }

    /** Runs the instance's connection test through the core, as the console's button does. */
    public ConnectionTestResult testConnection() {
        return grambot.runtime().testConnection(instanceId);
    }

    /** The instance's data directory ({@code PluginContext.dataDirectory()}). */
    public Path dataDirectory() {
        return service(PluginContext.class).dataDirectory();
    }

    /**
     * Replaces the instance's settings and waits until it is active with them: the component of the instance is
     * reactivated with the new settings (secrets, shown masked, are not compared).
     */
    public PluginInstance update(Map<String, ?> settings) {
        try {
            configuration.update(Grambot.dictionary(settings));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update instance '" + instanceId + "'", e);
        }
        Waits.until("instance '" + instanceId + "' has the settings " + settings, grambot.timeout(), () -> {
            Map<String, Object> shown = status().settings();
            return settings.entrySet().stream().allMatch(e -> "********".equals(shown.get(e.getKey()))
                    || Objects.equals(String.valueOf(shown.get(e.getKey())), String.valueOf(e.getValue())));
        });
        // and SCR's: the component sees a change a moment after the core does, and until then its old object (with
        // the old settings) is still the instance's service
        String pid = configuration.getPid();
        Waits.until("the component of instance '" + instanceId + "' has the settings " + settings, grambot.timeout(),
                () -> Waits.componentConfigurations(grambot.scr(), pid).anyMatch(c -> settings.entrySet().stream().allMatch(e -> !c.properties.containsKey(e.getKey())
                                || e.getValue() instanceof java.util.Collection<?>
                                || Objects.equals(String.valueOf(c.properties.get(e.getKey())),
                                        String.valueOf(e.getValue())))));
        awaitActive();
        return this;
    }

    /** Deletes the instance and waits until its services are gone (its data directory and secrets go with it). */
    public void delete() {
        String pid = configuration.getPid();
        try {
            configuration.delete();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete instance '" + instanceId + "'", e);
        }
        grambot.forget(pid);
        Waits.until("no service of instance '" + instanceId + "' is left", grambot.timeout(),
                () -> Waits.references(grambot.bundleContext(), filter()).length == 0);
    }

    /** Waits until the core reports the instance ACTIVE and its services are bound; fails at once if it FAILED. */
    void awaitActive() {
        InstanceStatus[] last = new InstanceStatus[1];
        Waits.until(() -> "instance '" + instanceId + "' of plugin '" + pluginId + "' is ACTIVE (last seen: "
                + (last[0] == null ? "unknown to the core" : last[0].state() + ", " + last[0].reason()) + ")",
                grambot.timeout(), () -> {
                    last[0] = grambot.runtime().instance(instanceId).orElse(null);
                    if (last[0] != null && last[0].state() == InstanceState.FAILED) {
                        throw new AssertionError("instance '" + instanceId + "' of plugin '" + pluginId
                                + "' failed: " + last[0].reason());
                    }
                    return last[0] != null && last[0].state() == InstanceState.ACTIVE;
                });
        for (Class<?> type : INDEXED) {
            for (ServiceReference<?> reference : Waits.references(grambot.bundleContext(),
                    Waits.filter(type, filter()).toString())) {
                Waits.bound(grambot.scr(), reference, type, grambot.timeout());
            }
        }
    }

    @Override
    public String toString() {
        return "instance '" + instanceId + "' of plugin '" + pluginId + "' (" + Constants.SERVICE_PID + " "
                + configuration.getPid() + ")";
    }
}
