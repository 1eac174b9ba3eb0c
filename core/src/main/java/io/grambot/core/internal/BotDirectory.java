package io.grambot.core.internal;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import io.grambot.core.internal.bot.Bot;
import io.grambot.core.internal.bot.BotSettings;
import io.grambot.core.internal.bot.ConversationStore;
import io.grambot.core.internal.console.BotsPage;
import io.grambot.core.internal.console.BotsPage.BotView;

/**
 * The bots as the console page and the shell show them: every {@value BotComponent#FACTORY_PID} configuration,
 * running or not, merged with the running bots' own settings; and clearing a conversation, in order with the bot's
 * turns when it runs.
 */
@Component(service = BotDirectory.class)
public final class BotDirectory {

    private final DataLayout data;
    private final ConfigurationAdmin configAdmin;
    private final Logger log;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.UPDATE)
    private final List<Bot> bots = new CopyOnWriteArrayList<>();

    @Activate
    public BotDirectory(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference(service = LoggerFactory.class) Logger log) {
        this(DataLayout.of(context), configAdmin, log);
    }

    BotDirectory(DataLayout data, ConfigurationAdmin configAdmin, Logger log) {
        this.data = data;
        this.configAdmin = configAdmin;
        this.log = log;
    }

    /** For tests without DS: a running bot. */
    void add(Bot bot) {
        bots.add(bot);
    }

    /**
     * The configured bots (running or not), merged with the running ones, sorted by id.
     *
     * @param withConversations whether to list each bot's conversations (reads their files' headers)
     */
    public List<BotView> bots(boolean withConversations) {
        Map<String, Map<String, Object>> configured = configuredBots();
        Map<String, BotView> views = new LinkedHashMap<>();
        for (Bot bot : bots) {
            BotSettings settings = bot.settings();
            List<ConversationStore.Summary> conversations = List.of();
            String problem = null;
            try {
                conversations = withConversations ? bot.conversations() : List.of();
            } catch (IOException | RuntimeException e) {
                problem = "Its conversations cannot be listed: " + e.getMessage();
            }
            views.put(settings.botId(), view(settings.botId(), settings.connectors(), settings.provider(),
                    settings.model(), true, true, conversations, problem));
        }
        configured.forEach((id, properties) -> {
            if (views.containsKey(id)) {
                return;
            }
            List<ConversationStore.Summary> conversations = List.of();
            String problem = null;
            try {
                conversations = withConversations ? store(InstanceIds.checkInstanceId(id)).conversations(null)
                        : List.of();
            } catch (IOException | RuntimeException e) {
                problem = "Its conversations cannot be listed: " + e.getMessage();
            }
            views.put(id, view(id, strings(properties.get("connectors")), string(properties.get("provider")),
                    string(properties.get("model")), false, !"false".equals(string(properties.get("enabled"))),
                    conversations, problem));
        });
        List<BotView> sorted = new ArrayList<>(views.values());
        sorted.sort(Comparator.comparing(BotView::id));
        return sorted;
    }

    /**
     * Deletes a conversation's history: through the bot, in order with its turns, if it runs; directly otherwise
     * (no turn can write it meanwhile). Completes with whether there was history.
     *
     * @throws IllegalArgumentException if there is no such bot, or the connector or key is not a valid name
     */
    public CompletableFuture<Boolean> clear(String botId, String connector, String key) throws IOException {
        ConversationStore.check(connector, key);
        for (Bot bot : bots) {
            if (bot.settings().botId().equals(botId)) {
                return bot.clear(connector, key);
            }
        }
        if (configuredBots().containsKey(botId)) {
            return CompletableFuture.completedFuture(store(botId).delete(connector, key));
        }
        throw new IllegalArgumentException("there is no bot '" + botId + "'");
    }

    private static BotView view(String id, List<String> connectors, String provider, String model, boolean running,
            boolean enabled, List<ConversationStore.Summary> conversations, String problem) {
        int shown = Math.min(conversations.size(), BotsPage.MAX_CONVERSATIONS);
        return new BotView(id, connectors, provider, model, running, enabled,
                List.copyOf(conversations.subList(0, shown)), conversations.size() - shown, problem);
    }

    /** Bot id → configuration properties of every {@value BotComponent#FACTORY_PID} configuration. */
    private Map<String, Map<String, Object>> configuredBots() {
        Map<String, Map<String, Object>> configured = new LinkedHashMap<>();
        try {
            Configuration[] configurations = configAdmin.listConfigurations(
                    "(service.factoryPid=" + BotComponent.FACTORY_PID + ")");
            for (Configuration configuration : configurations == null ? new Configuration[0] : configurations) {
                var properties = configuration.getProperties();
                if (properties == null) {
                    continue;
                }
                Map<String, Object> values = new LinkedHashMap<>();
                for (var keys = properties.keys(); keys.hasMoreElements();) {
                    String key = keys.nextElement();
                    values.put(key, properties.get(key));
                }
                configured.put(InstanceIds.of(configuration.getPid(), BotComponent.FACTORY_PID), values);
            }
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            log.warn("console: the bot configurations cannot be listed: {}", e.toString());
        }
        return configured;
    }

    private ConversationStore store(String botId) {
        return new ConversationStore(data.botDirectory(InstanceIds.checkInstanceId(botId)),
                (file, content) -> AtomicFiles.write(file, content, true));
    }

    private static String string(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static List<String> strings(Object value) {
        List<String> values = new ArrayList<>();
        if (value instanceof Collection<?> collection) {
            collection.forEach(v -> values.add(String.valueOf(v)));
        } else if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                values.add(String.valueOf(Array.get(value, i)));
            }
        } else if (value != null) {
            values.add(String.valueOf(value));
        }
        return values;
    }
}
