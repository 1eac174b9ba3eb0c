package io.grambot.itest;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.grambot.api.connector.Connector;
import io.grambot.api.inference.InferenceProvider;

/**
 * Fixture of {@link EventJournalKillTest}, active only in the forked framework that configures it: once the
 * connector and the provider its {@code connector.target} and {@code provider.target} select are there, creates the
 * bot configuration that joins them, so that no message (new or replayed) reaches a bot missing either.
 */
@Component(configurationPid = KillTestBotMaker.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
public final class KillTestBotMaker {

    static final String PID = "grambot.itest.botmaker";

    @interface Config {
        String bot();

        String connectorId();

        String providerId();
    }

    @Activate
    public KillTestBotMaker(Config config, @Reference ConfigurationAdmin configAdmin,
            @Reference(name = "connector") Connector connector,
            @Reference(name = "provider") InferenceProvider provider) throws IOException {
        Configuration bot = configAdmin.getFactoryConfiguration("grambot.bot", config.bot(), "?");
        if (bot.getProperties() == null) {
            bot.update(new Hashtable<>(Map.of("connectors", new String[] { config.connectorId() }, "provider",
                    config.providerId())));
        }
    }
}
