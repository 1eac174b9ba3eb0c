package io.grambot.plugin.webhooks.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** Instance configurations as DS hands them to the component: the declared defaults, with some values set. */
final class Configs {

    private Configs() {}

    /** A configuration with these values (by setting name) and the defaults for the rest. */
    static Webhooks.Config config(Map<String, Object> values) {
        Map<String, Object> copy = new HashMap<>(values);
        return (Webhooks.Config) Proxy.newProxyInstance(Configs.class.getClassLoader(),
                new Class<?>[] { Webhooks.Config.class }, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class || method.getName().equals("annotationType")) {
                        return method.getName().equals("annotationType") ? Webhooks.Config.class
                                : method.getName().equals("toString") ? "Config" + copy
                                : method.invoke(copy, args);
                    }
                    return copy.containsKey(method.getName()) ? copy.get(method.getName()) : method.getDefaultValue();
                });
    }

    /** The checked settings of instance {@code hooks} with these values. */
    static WebhookSettings settings(Map<String, Object> values) {
        return WebhookSettings.of(config(values), "hooks");
    }

    /** Pairs of setting name and value. */
    static Map<String, Object> values(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
