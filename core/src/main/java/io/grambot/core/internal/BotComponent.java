package io.grambot.core.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginEvent;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.action.ActionCall;
import io.grambot.api.action.ActionInfo;
import io.grambot.api.action.ActionInvoker;
import io.grambot.api.action.ActionOutcome;
import io.grambot.api.action.ContextEnricher;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.connector.PayloadValidation;
import io.grambot.api.image.ImageGenerator;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.api.tool.Tool;
import io.grambot.core.internal.bot.Bot;
import io.grambot.core.internal.bot.BotServices;
import io.grambot.core.internal.bot.BotSettings;
import io.grambot.core.internal.bot.ConversationStore;
import io.grambot.core.internal.bot.WriteBehind;
import io.grambot.core.internal.bot.TurnRunner;

/**
 * A bot: a factory configuration ({@value #FACTORY_PID}, its name is the bot id) saying which connector instances
 * it listens to, which provider answers, with which prompt, tools, actions, context enrichers and limits. It handles the
 * {@value IncomingMessage#EVENT_TYPE} events of its connectors: each message becomes a turn, run in order per
 * conversation and in parallel across conversations, and the answer goes back through the same connector.
 */
@Designate(ocd = BotComponent.Config.class, factory = true)
@Component(configurationPid = BotComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { PluginEventHandler.class, Bot.class },
        property = PluginConstants.EVENT_TYPE + "=" + IncomingMessage.EVENT_TYPE)
public final class BotComponent implements PluginEventHandler, Bot {

    static final String FACTORY_PID = "grambot.bot";
    static final String RESET_COMMAND = "/reset";
    /** Named so that {@link InstanceWiring} can target it: a disabled bot's target matches no service. */
    static final String REGISTRIES_REFERENCE = "registries";

    @ObjectClassDefinition(name = "Grambot bot", description = "A bot: which channels it listens to, which model "
            + "answers, with which instructions, tools and limits.")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Whether the bot answers; a disabled bot keeps its "
                + "settings and history.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Connectors", description = "Instance ids of the connectors the bot listens to "
                + "and answers through, for example webchat.")
        String[] connectors();

        @AttributeDefinition(name = "Inference provider", required = false,
                description = "Instance id of the inference provider that answers.")
        String provider() default "";

        @AttributeDefinition(name = "Model", required = false, description = "Empty for the provider's default.")
        String model() default "";

        @AttributeDefinition(name = "System prompt", required = false,
                description = "The model's instructions, sent before the conversation.")
        String systemPrompt() default "You are a helpful assistant.";

        @AttributeDefinition(name = "Tools", required = false,
                description = "Names of the tools the model may call; * for all.")
        String[] tools() default {};

        @AttributeDefinition(name = "Image generator", required = false,
                description = "Instance id of an image generator offered to the model as a tool.")
        String imageGenerator() default "";

        @AttributeDefinition(name = "Tool rounds", min = "1", max = "20",
                description = "How many rounds of tool calls a turn may take.")
        int maxToolRounds() default 5;

        @AttributeDefinition(name = "Max tokens", min = "0", description = "Output tokens per model call; 0 for the "
                + "provider's default.")
        int maxTokens() default 0;

        @AttributeDefinition(name = "Tool timeout (s)", min = "1", max = "600",
                description = "How long one tool call may take; a late tool becomes an error result the model sees.")
        int toolTimeoutSeconds() default 30;

        @AttributeDefinition(name = "History", min = "2", max = "1000",
                description = "Messages kept per conversation and sent to the model.")
        int historyMessages() default 50;

        @AttributeDefinition(name = "Parallel conversations", min = "1", max = "256",
                description = "How many conversations are answered at once; messages of one conversation always "
                        + "one after another.")
        int parallelConversations() default 16;

        @AttributeDefinition(name = "Actions", required = false, description = "Actions the model may call as "
                + "tools, as <instanceId>/<actionName>; * for every action offered as a tool. The model sees each as "
                + "the tool <instanceId>__<actionName>.")
        String[] actions() default {};

        @AttributeDefinition(name = "Context enrichers", required = false, description = "Names of the context "
                + "enrichers asked for context before the model answers, in this order; * for all.")
        String[] enrichers() default {};

        @AttributeDefinition(name = "Enricher timeout (ms)", min = "1", max = "60000",
                description = "How long each context enricher may take; a late one is left out.")
        int enricherTimeoutMillis() default 1000;

        @AttributeDefinition(name = "Context budget (characters)", min = "0", max = "100000",
                description = "The most characters of context added to the system prompt; 0 asks no enricher.")
        int enrichmentMaxChars() default 4000;
    }

    private final BotSettings settings;
    private final Registries registries;
    private final PluginRuntime runtime;
    private final ActionInvoker invoker;
    private final Logger log;
    private final ConversationStore store;
    private final WriteBehind historyWriter;
    private final ExecutorService turns;
    private final ExecutorService tools;
    private final io.grambot.core.internal.bot.ConversationLanes lanes;
    private final TurnRunner runner;

    @Activate
    public BotComponent(Config config, Map<String, Object> properties, BundleContext context,
            @Reference(name = REGISTRIES_REFERENCE) Registries registries, @Reference PluginRuntime runtime,
            @Reference ActionInvoker invoker, @Reference(service = LoggerFactory.class) Logger log) {
        String botId = InstanceIds.checkInstanceId(
                InstanceIds.of(String.valueOf(properties.get(Constants.SERVICE_PID)), FACTORY_PID));
        this.settings = new BotSettings(botId, List.of(config.connectors()), config.provider(), config.model(),
                config.systemPrompt(), List.of(config.tools()), config.imageGenerator(), config.maxToolRounds(),
                config.maxTokens(), Duration.ofSeconds(config.toolTimeoutSeconds()), config.historyMessages(),
                List.of(config.actions()), List.of(config.enrichers()),
                Duration.ofMillis(config.enricherTimeoutMillis()), config.enrichmentMaxChars());
        this.registries = registries;
        this.runtime = runtime;
        this.invoker = invoker;
        this.log = log;
        // history is written behind the turn: the answer does not wait for the file system, the event does
        this.historyWriter = new WriteBehind((file, content) -> AtomicFiles.replace(file, content, true),
                "grambot-history-" + botId, (file, e) -> log.error("bot '{}': cannot write the history {}: {}", botId,
                        file, e.toString()));
        this.store = new ConversationStore(DataLayout.of(context).botDirectory(botId), historyWriter);
        this.turns = Executors.newFixedThreadPool(config.parallelConversations(), threads("grambot-bot-" + botId));
        this.tools = Executors.newCachedThreadPool(threads("grambot-tools-" + botId));
        this.lanes = new io.grambot.core.internal.bot.ConversationLanes(turns);
        this.runner = new TurnRunner(settings, services(), tools, log);
    }

    @Deactivate
    void deactivate() {
        turns.shutdownNow();
        tools.shutdownNow();
        historyWriter.close();
    }

    @Override
    public void handle(PluginEvent event) {
        handleAsync(event);
    }

    /** Queues the turn; the event is done (and leaves the event journal) once its answer has been sent. */
    @Override
    public CompletionStage<?> handleAsync(PluginEvent event) {
        String connector = event.instanceId();
        if (!settings.connectors().contains(connector)) {
            return CompletableFuture.completedStage(null);
        }
        IncomingMessage message;
        try {
            message = IncomingMessage.fromPayload(event.payload());
        } catch (IllegalArgumentException e) {
            log.error("bot '{}': event {} of connector '{}' is not a message: {}", settings.botId(), event.id(),
                    connector, e.getMessage());
            return CompletableFuture.completedStage(null);
        }
        // the event is done once the answer is sent and the history it added is on disk
        return lanes.submit(Bot.lane(connector, ConversationStore.key(message.conversationId())),
                () -> turn(connector, message))
                .thenCompose(sent -> store.written(connector, message.conversationId()));
    }

    @Override
    public BotSettings settings() {
        return settings;
    }

    @Override
    public List<ConversationStore.Summary> conversations() throws IOException {
        return store.conversations(null);
    }

    @Override
    public CompletableFuture<Boolean> clear(String connector, String key) {
        CompletableFuture<Boolean> cleared = new CompletableFuture<>();
        lanes.submit(Bot.lane(connector, key), () -> {
            try {
                cleared.complete(store.delete(connector, key));
            } catch (IOException | RuntimeException e) {
                cleared.completeExceptionally(e);
            }
        }).whenComplete((ran, refused) -> {
            if (refused != null) {
                cleared.completeExceptionally(refused);
            }
        });
        return cleared;
    }

    private void turn(String connector, IncomingMessage message) {
        try {
            OutgoingMessage reply;
            if (message.text().strip().equals(RESET_COMMAND)) {
                store.clear(connector, message.conversationId());
                reply = OutgoingMessage.text(message.conversationId(), "Done: I have forgotten this conversation.");
            } else {
                List<ChatMessage> history = store.load(connector, message.conversationId());
                TurnRunner.Turn turn = runner.run(connector, history, message);
                if (!turn.added().isEmpty()) {
                    store.append(connector, message.conversationId(), history, turn.added(),
                            settings.historyMessages());
                }
                reply = turn.reply();
            }
            send(connector, reply);
        } catch (Exception e) {
            log.error("bot '{}': the turn for conversation {} of connector '{}' failed: {}", settings.botId(),
                    message.conversationId(), connector, e.toString());
            send(connector, OutgoingMessage.text(message.conversationId(),
                    "Something went wrong while answering; the details are in the log."));
        }
    }

    private void send(String connectorId, OutgoingMessage reply) {
        Connector connector = registries.connector(connectorId);
        if (connector == null) {
            log.error("bot '{}': connector '{}' is gone; the answer to conversation {} is not sent",
                    settings.botId(), connectorId, reply.conversationId());
            return;
        }
        PayloadValidation validation;
        try {
            validation = connector.validate(reply);
        } catch (RuntimeException e) {
            validation = PayloadValidation.invalid("its validate threw " + e);
        }
        if (validation == null || !validation.valid()) {
            // nothing of it is sent: a half-sent answer is worse than none
            log.error("bot '{}': connector '{}' refused the answer to conversation {}, nothing was sent: {}",
                    settings.botId(), connectorId, reply.conversationId(),
                    validation == null ? "its validate returned nothing" : String.join("; ", validation.problems()));
            return;
        }
        try {
            connector.send(reply);
        } catch (Exception e) {
            log.error("bot '{}': connector '{}' could not send to conversation {}: {}", settings.botId(),
                    connectorId, reply.conversationId(), e.toString());
        }
    }

    private BotServices services() {
        return new BotServices() {
            @Override
            public InferenceProvider provider(String instanceId) {
                return registries.provider(instanceId);
            }

            @Override
            public String providerState(String instanceId) {
                return runtime.instance(instanceId).map(status -> status.state().name().toLowerCase(Locale.ROOT))
                        .orElse(null);
            }

            @Override
            public Tool tool(String name) {
                return registries.tool(name);
            }

            @Override
            public Collection<Tool> tools() {
                return registries.tools();
            }

            @Override
            public ImageGenerator imageGenerator(String instanceId) {
                return registries.imageGenerator(instanceId);
            }

            @Override
            public List<ActionInfo> actions() {
                return invoker.actions();
            }

            @Override
            public CompletionStage<ActionOutcome> invoke(ActionCall call) {
                return invoker.invoke(call);
            }

            @Override
            public ContextEnricher enricher(String name) {
                return registries.enricher(name);
            }

            @Override
            public Map<String, ContextEnricher> enrichers() {
                return registries.enrichers();
            }
        };
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
