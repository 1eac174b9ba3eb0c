package io.grambot.core.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.osgi.framework.BundleContext;

/**
 * Settings given at configuration time by the environment, over an instance's configuration. One naming rule, the
 * launcher's ({@code grambot.http.port} / {@code GRAMBOT_HTTP_PORT}) applied to instance settings: setting
 * {@code <key>} of instance {@code <instanceId>} is
 * <ul>
 * <li>the framework or system property {@code grambot.instance.<instanceId>.<key>}, exactly as written (for example
 * {@code -Dgrambot.instance.bot1.pollTimeout=20});</li>
 * <li>the environment variable named like that property, upper-cased, with every character other than an ASCII
 * letter or digit replaced by {@code _}: {@code GRAMBOT_INSTANCE_BOT1_POLLTIMEOUT=20}, or
 * {@code GRAMBOT_INSTANCE_MY_BOT_API_TOKEN} for instance {@code my-bot}, key {@code api.token}.</li>
 * </ul>
 * Precedence, highest first: property, environment variable, configuration, declared default. An override is text
 * and is read like a configuration file's value (a list as {@code a,b,c}); it is applied before validation, so it is
 * checked like any other value. Only the keys asked for are looked up (the plugin's declared settings): nothing is
 * scanned. The {@code INSTANCE} part keeps these names apart from the launcher's ({@code GRAMBOT_ADMIN_PASSWORD} is
 * never a setting); two instance/key pairs may still share an environment name ({@code a_b}/{@code c} and
 * {@code a}/{@code b_c}), while the property name is exact.
 */
final class SettingsOverrides {

    static final String PROPERTY_PREFIX = "grambot.instance.";

    /**
     * The settings after overrides, and where each overridden one came from.
     *
     * @param settings the configuration with the overrides applied
     * @param origins for each overridden key, where its value came from, e.g.
     *            {@code environment variable GRAMBOT_BOT1_TOKEN}; never the value itself
     */
    record Applied(Map<String, Object> settings, Map<String, String> origins) {
        @Override
        public String toString() {
            return "Applied[keys=" + settings.keySet() + ", overridden=" + origins + "]";
        }
    }

    private final Function<String, String> properties;
    private final Function<String, String> environment;

    /**
     * Overrides from the given look-ups (for tests, {@code Map::get}).
     *
     * @param properties property name to value, or {@code null}
     * @param environment environment variable name to value, or {@code null}
     */
    SettingsOverrides(Function<String, String> properties, Function<String, String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    /** Overrides from the framework's properties (which fall back to system properties) and the process environment. */
    static SettingsOverrides of(BundleContext context) {
        return new SettingsOverrides(context::getProperty, System::getenv);
    }

    static String propertyName(String instanceId, String key) {
        return PROPERTY_PREFIX + instanceId + "." + key;
    }

    static String environmentName(String instanceId, String key) {
        String property = propertyName(instanceId, key);
        StringBuilder name = new StringBuilder(property.length());
        for (char c : property.toUpperCase(Locale.ROOT).toCharArray()) {
            name.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
        }
        return name.toString();
    }

    /**
     * Applies the overrides of the given keys to an instance's configuration.
     *
     * @param instanceId the instance
     * @param keys the keys that may be overridden, usually {@link SettingsSchema#keys()}
     * @param configuration the instance's configuration values (left unchanged)
     */
    Applied apply(String instanceId, Collection<String> keys, Map<String, ?> configuration) {
        Map<String, Object> settings = new LinkedHashMap<>(configuration);
        Map<String, String> origins = new LinkedHashMap<>();
        for (String key : keys) {
            String property = propertyName(instanceId, key);
            String variable = environmentName(instanceId, key);
            String value = properties.apply(property);
            if (value != null) {
                settings.put(key, value);
                origins.put(key, "property " + property);
            } else if ((value = environment.apply(variable)) != null) {
                settings.put(key, value);
                origins.put(key, "environment variable " + variable);
            }
        }
        return new Applied(Collections.unmodifiableMap(settings), Collections.unmodifiableMap(origins));
    }
}
