package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InstanceWiringTest {

    private final InstanceWiring wiring = new InstanceWiring(null, new SettingsOverrides(name -> null, name -> null));

    private static Hashtable<String, Object> bot(String id, Object enabled) {
        Hashtable<String, Object> properties = new Hashtable<>(Map.of("service.pid", "grambot.bot~" + id,
                "service.factoryPid", "grambot.bot", "connectors", new String[] { "web" }));
        if (enabled != null) {
            properties.put("enabled", enabled);
        }
        return properties;
    }

    @Test
    void aDisabledBotsRegistriesReferenceTargetsNoService() {
        Hashtable<String, Object> disabled = bot("quiet(1)", false);
        wiring.modifyConfiguration(null, disabled);
        assertThat(disabled).containsEntry("registries.target", "(grambot.bot.disabled=quiet\\(1\\))");

        Hashtable<String, Object> text = bot("quiet", "false"); // as a .cfg file gives it
        wiring.modifyConfiguration(null, text);
        assertThat(text).containsKey("registries.target");
    }

    @Test
    void anEnabledBotIsLeftAsItIs() {
        for (Object enabled : new Object[] { null, true, "true" }) {
            Hashtable<String, Object> properties = bot("loud", enabled);
            Map<String, Object> before = Map.copyOf(properties);
            wiring.modifyConfiguration(null, properties);
            assertThat(properties).isEqualTo(before);
        }
    }
}
