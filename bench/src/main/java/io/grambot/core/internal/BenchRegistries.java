package io.grambot.core.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

import io.grambot.api.PluginConstants;
import io.grambot.api.connector.Connector;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.tool.Tool;

/**
 * Fills {@link Registries} outside a framework, as SCR does through its bind methods (which are package-private):
 * each service comes with a reference carrying its instance id. For the benchmarks only.
 */
public final class BenchRegistries {

    /** The bundle every benchmark service seems to come from. */
    private static final Bundle BUNDLE = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(),
            new Class<?>[] { Bundle.class }, (proxy, method, args) -> switch (method.getName()) {
                case "getSymbolicName" -> "io.grambot.bench";
                case "getBundleId" -> 0L;
                case "hashCode" -> 0;
                case "equals" -> proxy == args[0];
                default -> null;
            });

    private BenchRegistries() {}

    public static void addTool(Registries registries, Tool tool, String instanceId) {
        registries.addTool(tool, reference(instanceId));
    }

    public static void addProvider(Registries registries, InferenceProvider provider, String instanceId) {
        registries.addProvider(provider, reference(instanceId));
    }

    public static void addConnector(Registries registries, Connector connector, String instanceId) {
        registries.addConnector(connector, reference(instanceId));
    }

    /** Stops a bot component's threads, as SCR does on deactivation. */
    public static void deactivate(BotComponent bot) {
        bot.deactivate();
    }

    @SuppressWarnings("unchecked")
    private static <S> ServiceReference<S> reference(String instanceId) {
        Map<String, Object> properties = Map.of(PluginConstants.INSTANCE_ID, instanceId, "service.id",
                (long) instanceId.hashCode(), "service.ranking", 0);
        return (ServiceReference<S>) Proxy.newProxyInstance(ServiceReference.class.getClassLoader(),
                new Class<?>[] { ServiceReference.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "getPropertyKeys" -> properties.keySet().toArray(new String[0]);
                    case "getBundle" -> BUNDLE;
                    case "compareTo" -> 0;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "reference of " + instanceId;
                    default -> null;
                });
    }
}
