package io.grambot.plugin.telegram.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.ConnectionTest;
import io.grambot.api.ConnectionTestResult;
import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.SettingFormat;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.connector.PayloadValidation;
import io.grambot.http.Sleeper;
import io.grambot.plugin.telegram.internal.BotApi.Identity;
import io.grambot.plugin.telegram.internal.TelegramSettings.Mode;

/**
 * A Telegram bot (Bot API) as a connector: updates arrive by long polling or through a webhook and become
 * {@value IncomingMessage#EVENT_TYPE} events (conversation = chat id); answers go out with {@code sendMessage},
 * {@code sendPhoto} and {@code sendDocument}. One component object per instance; the bot token is read from the
 * instance's secrets for every call and masked in every log line and error.
 */
@GrambotPlugin(id = TelegramConnector.PLUGIN_ID, name = "Telegram",
        description = "A Telegram bot: receives messages by long polling or a webhook, answers with text, photos and files.")
@Designate(ocd = TelegramConnector.Config.class, factory = true)
@Component(configurationPid = TelegramConnector.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { Connector.class, ConnectionTest.class })
public final class TelegramConnector implements Connector, ConnectionTest {

    static final String PLUGIN_ID = "telegram";
    /** {@code PluginConstants.factoryPid(PLUGIN_ID)}, spelled out because annotations need a constant. */
    static final String FACTORY_PID = "telegram";
    static final String BOT_TOKEN = "botToken";
    static final String WEBHOOK_SECRET = "webhookSecret";
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final int WEBHOOK_QUEUE = 1000;
    private static final int DELIVERY_ATTEMPTS = 5;

    @ObjectClassDefinition(name = "Grambot Telegram connector",
            description = "A Telegram bot (Bot API) that Grambot's bots answer through.")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Whether this instance runs.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Bot token", type = AttributeType.PASSWORD,
                description = "The token @BotFather gave for the bot (123456789:AA...); stored in the secrets store.")
        @SettingFormat(pattern = "^[0-9]+:[A-Za-z0-9_-]+$")
        String botToken();

        @AttributeDefinition(name = "Base URL", description = "Where the Bot API is: https://api.telegram.org, or a "
                + "local Bot API server. Calls go to <baseUrl>/bot<token>/<method>.")
        @SettingFormat(format = "uri", pattern = "^https?://")
        String baseUrl() default "https://api.telegram.org";

        @AttributeDefinition(name = "Mode", description = "How updates arrive: polling (the connector asks; nothing "
                + "needs to be reachable from outside) or webhook (Telegram posts to the public URL).",
                options = { @Option(label = "Long polling", value = "polling"),
                        @Option(label = "Webhook", value = "webhook") })
        String mode() default "polling";

        @AttributeDefinition(name = "Poll timeout (seconds)", description = "How long one getUpdates call waits for "
                + "an update (long polling).", min = "0", max = "50")
        int pollTimeoutSeconds() default 30;

        @AttributeDefinition(name = "Update types", required = false, cardinality = 20, description = "The update "
                + "types asked for (allowed_updates); 'message' is always among them. Add 'edited_message' to answer "
                + "edited messages like new ones.")
        String[] allowedUpdates() default { "message" };

        @AttributeDefinition(name = "Groups", description = "Which messages in groups are answered: those that "
                + "mention the bot, reply to it or are commands; all; or none. Private chats are always answered.",
                options = { @Option(label = "Mentions, replies and commands", value = "mention"),
                        @Option(label = "All messages", value = "all"), @Option(label = "None", value = "off") })
        String groupMode() default "mention";

        @AttributeDefinition(name = "Formatting", description = "How answers are formatted: as typed (none), or the "
                + "model's Markdown turned into Telegram's MarkdownV2 or HTML.",
                options = { @Option(label = "None (plain text)", value = "none"),
                        @Option(label = "MarkdownV2", value = "MarkdownV2"), @Option(label = "HTML", value = "HTML") })
        String parseMode() default "none";

        @AttributeDefinition(name = "Quote the question", description = "When an answer quotes the message it "
                + "answers: in groups only, always, or never.",
                options = { @Option(label = "In groups", value = "groups"), @Option(label = "Always", value = "always"),
                        @Option(label = "Never", value = "never") })
        String quoteReplies() default "groups";

        @AttributeDefinition(name = "Public URL", required = false, description = "Webhook mode: the https URL at "
                + "which Telegram reaches the webhook path, such as https://bot.example.org/telegram/main.")
        @SettingFormat(format = "uri", pattern = "^https://")
        String publicUrl();

        @AttributeDefinition(name = "Webhook path", required = false, description = "Webhook mode: the path on "
                + "Grambot's HTTP server that receives updates; empty for /telegram/<instance id>.")
        @SettingFormat(pattern = "^/[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")
        String webhookPath();

        @AttributeDefinition(name = "Webhook secret", type = AttributeType.PASSWORD, required = false,
                description = "Webhook mode: 1 to 256 characters A-Z, a-z, 0-9, _ and -; Telegram sends it with every "
                        + "update and other requests are refused. Stored in the secrets store.")
        @SettingFormat(pattern = "^[A-Za-z0-9_-]{1,256}$")
        String webhookSecret();

        @AttributeDefinition(name = "Largest download (bytes)", description = "Photos and files people send are "
                + "downloaded up to this size (the Bot API serves up to 20 MB); 0 downloads none.",
                min = "0", max = "2147483648")
        long maxDownloadBytes() default 20L * 1024 * 1024;

        @AttributeDefinition(name = "Typing indicator", description = "Show \"typing…\" while the bot works on an answer.")
        boolean typing() default true;

        @AttributeDefinition(name = "Timeout (seconds)", description = "The most time one call may take (a long poll "
                + "takes this on top of its poll timeout).", min = "1", max = "600")
        int timeoutSeconds() default 30;

        @AttributeDefinition(name = "Retries", description = "How often a call is repeated after a refused or dropped "
                + "connection, 429 or 5xx (with backoff, honouring Telegram's retry_after).", min = "0", max = "10")
        int maxRetries() default 3;
    }

    /** Puts the webhook on an HTTP server; closing takes it off. */
    @FunctionalInterface
    interface WebhookRegistrar {
        AutoCloseable register(String path, Webhook webhook);
    }

    private final PluginContext context;
    private final String instanceId;
    private final TelegramSettings settings;
    private final Log log;
    private final Sleeper sleeper;
    private final BotApi api;
    private final UpdateReader reader;
    private final Sender sender;
    private final Typing typing;
    private final Poller poller;
    private final ExecutorService webhookWork;
    private final AutoCloseable webhookRegistration;
    private volatile Identity identity;

    @Activate
    public TelegramConnector(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context,
            @Reference(service = LoggerFactory.class) Logger logger, BundleContext bundleContext)
            throws PluginException {
        this(context, TelegramSettings.of(config, context.instanceId()), Log.of(logger), Sleeper.REAL,
                Clock.systemUTC(), (path, webhook) -> WebhookServlet.register(bundleContext, path, webhook,
                        context.instanceId()), Typing.PERIOD, Typing.BOUND);
    }

    /**
     * Starts the instance: in polling mode deletes a webhook, checks nobody else polls and starts polling; in webhook
     * mode sets the webhook and puts its servlet up.
     *
     * @throws PluginException if Telegram refuses the token, another poller holds it, or the webhook cannot be set
     */
    TelegramConnector(PluginContext context, TelegramSettings settings, Log log, Sleeper sleeper, Clock clock,
            WebhookRegistrar registrar, Duration typingPeriod, Duration typingBound) throws PluginException {
        this.context = context;
        this.instanceId = context.instanceId();
        this.settings = settings;
        this.log = log.redacting(this::secretValues);
        this.sleeper = sleeper;
        this.api = new BotApi(instanceId, settings, () -> context.secrets().get(BOT_TOKEN), this.log, sleeper);
        Downloads downloads = new Downloads(context.dataDirectory(), api, settings.maxDownloadBytes(), clock);
        downloads.prune();
        this.reader = new UpdateReader(instanceId, settings, this::identity, downloads, this.log);
        this.sender = new Sender(instanceId, settings, api, this.log);
        this.typing = new Typing(Executors.newSingleThreadScheduledExecutor(runnable -> thread(runnable, "typing")),
                typingPeriod, typingBound, this::typingAction);
        Poller polling = null;
        ExecutorService work = null;
        AutoCloseable registration = null;
        try {
            api.checkToken();
            if (settings.mode() == Mode.POLLING) {
                polling = new Poller(instanceId, settings, api, new OffsetStore(context.dataDirectory(), clock,
                        api.mapper()), this::handle, this::learnIdentity, this.log, sleeper);
                polling.start();
                polling.startThread();
                this.log.info("telegram '" + instanceId + "' polls for updates" + (identity == null ? ""
                        : " as " + identity.handle()));
            } else {
                Secret secret = context.secrets().get(WEBHOOK_SECRET).filter(s -> !s.reveal().isEmpty())
                        .orElseThrow(() -> new PluginException("instance '" + instanceId + "' is in webhook mode "
                                + "but has no 'webhookSecret': set one (1 to 256 characters A-Z, a-z, 0-9, _ and -)"));
                work = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(WEBHOOK_QUEUE),
                        runnable -> thread(runnable, "webhook"));
                ExecutorService queue = work;
                Webhook webhook = new Webhook(instanceId, () -> context.secrets().get(WEBHOOK_SECRET), api.mapper(),
                        update -> offer(queue, () -> deliver(update)), this.log);
                registration = registrar.register(settings.webhookPath(), webhook);
                setWebhook(secret, work);
            }
        } catch (PluginException | RuntimeException e) {
            close(polling, registration, work);
            throw e;
        }
        this.poller = polling;
        this.webhookWork = work;
        this.webhookRegistration = registration;
    }

    @Deactivate
    void deactivate() {
        close(poller, webhookRegistration, webhookWork);
    }

    private void close(Poller polling, AutoCloseable registration, ExecutorService work) {
        if (polling != null) {
            polling.close(STOP_WAIT);
        }
        if (registration != null) {
            try {
                registration.close();
            } catch (Exception e) {
                log.warn("telegram '" + instanceId + "' could not take its webhook servlet down: " + e);
            }
        }
        if (work != null) {
            work.shutdownNow();
            try {
                work.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        typing.close();
        api.close();
    }

    @Override
    public String id() {
        return instanceId;
    }

    @Override
    public PayloadValidation validate(OutgoingMessage message) {
        return sender.validate(message);
    }

    @Override
    public void send(OutgoingMessage message) throws PluginException {
        typing.answered(message.conversationId()); // before sending: a chat action after the answer would linger
        sender.send(message);
    }

    /** {@code getMe}: reached, as whom; in polling mode whether polling stopped; in webhook mode the webhook's state. */
    @Override
    public ConnectionTestResult testConnection() {
        try {
            Identity me = api.getMe();
            identity = me;
            String reached = "reached " + settings.baseUrl() + " as " + me.handle();
            if (poller != null) {
                String stopped = poller.stopReason();
                return stopped == null ? ConnectionTestResult.ok(reached + "; polling for updates")
                        : ConnectionTestResult.failed(reached + ", but " + stopped);
            }
            JsonNode info = api.getWebhookInfo();
            String url = info.path("url").asText("");
            String state = url.isEmpty() ? "; no webhook is set" : "; webhook " + url + ", "
                    + info.path("pending_update_count").asLong(0) + " updates pending"
                    + (info.path("last_error_message").isTextual() ? ", last error: "
                            + info.get("last_error_message").asText() : "");
            return url.equals(settings.publicUrl().toString()) ? ConnectionTestResult.ok(reached + state)
                    : ConnectionTestResult.failed(reached + state + " (expected " + settings.publicUrl() + ")");
        } catch (PluginException e) {
            return ConnectionTestResult.failed(e.getMessage());
        }
    }

    /** Reads an update and hands its message to the bots; a failure to hand it on leaves it to be tried again. */
    void handle(JsonNode update) throws PluginException {
        Optional<IncomingMessage> message;
        try {
            message = reader.read(update);
        } catch (UpdateReader.Malformed e) {
            log.warn("telegram '" + instanceId + "' skips an update: " + e.getMessage());
            return;
        }
        if (message.isPresent()) {
            context.emit(IncomingMessage.EVENT_TYPE, message.get().toPayload());
            if (settings.typing()) {
                typing.started(message.get().conversationId());
            }
        }
    }

    /** Who the bot is, asked once. */
    Identity identity() throws PluginException {
        Identity known = identity;
        if (known == null) {
            known = api.getMe();
            identity = known;
        }
        return known;
    }

    private void learnIdentity(boolean quickly) throws PluginException {
        if (identity == null) {
            identity = quickly ? api.getMeQuickly() : api.getMe();
        }
    }

    /** Poller's state, for tests. */
    Poller poller() {
        return poller;
    }

    Typing typing() {
        return typing;
    }

    private void setWebhook(Secret secret, ExecutorService work) throws PluginException {
        try {
            learnIdentity(true);
            api.setWebhook(settings.publicUrl(), secret, settings.allowedUpdates());
            log.info("telegram '" + instanceId + "' receives updates at " + settings.publicUrl() + " (path "
                    + settings.webhookPath() + ")" + (identity == null ? "" : " as " + identity.handle()));
        } catch (PluginException e) {
            if (!e.retryable()) {
                throw e;
            }
            log.warn("telegram '" + instanceId + "' cannot set its webhook yet (" + e.getMessage() + "); trying again "
                    + "in the background");
            work.execute(() -> setWebhookLater(secret));
        }
    }

    private void setWebhookLater(Secret secret) {
        for (int failures = 1; !Thread.currentThread().isInterrupted(); failures++) {
            try {
                sleeper.sleep(Poller.BACKOFF.backoff(failures, Math.random()).plusMillis(200));
                api.setWebhook(settings.publicUrl(), secret, settings.allowedUpdates());
                log.info("telegram '" + instanceId + "' receives updates at " + settings.publicUrl());
                return;
            } catch (InterruptedException e) {
                return;
            } catch (PluginException e) {
                if (!e.retryable()) {
                    log.error("telegram '" + instanceId + "' cannot set its webhook: " + e.getMessage());
                    return;
                }
                log.warn("telegram '" + instanceId + "' cannot set its webhook yet: " + e.getMessage());
            }
        }
    }

    private static boolean offer(ExecutorService queue, Runnable task) {
        try {
            queue.execute(task);
            return true;
        } catch (RejectedExecutionException full) {
            return false;
        }
    }

    /** A webhook update: handled on the webhook's own thread, tried a few times if the bots cannot take it. */
    private void deliver(JsonNode update) {
        for (int attempt = 1;; attempt++) {
            try {
                handle(update);
                return;
            } catch (PluginException e) {
                if (attempt >= DELIVERY_ATTEMPTS) {
                    log.error("telegram '" + instanceId + "' gives up on update " + update.path("update_id").asText()
                            + " after " + attempt + " attempts: " + e.getMessage());
                    return;
                }
                try {
                    sleeper.sleep(e.retryAfter().orElse(Poller.BACKOFF.ceiling(attempt)));
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    private void typingAction(String chatId) {
        Long chat = Sender.chatId(chatId);
        if (chat == null) {
            return;
        }
        try {
            api.quickCall("sendChatAction", api.object().put("chat_id", chat).put("action", "typing"));
        } catch (PluginException e) {
            log.debug("telegram '" + instanceId + "' could not show typing in chat " + chatId + ": " + e.getMessage());
        }
    }

    private Collection<String> secretValues() {
        try {
            return List.of(BOT_TOKEN, WEBHOOK_SECRET).stream().map(key -> context.secrets().get(key))
                    .flatMap(Optional::stream).map(Secret::reveal).toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private Thread thread(Runnable runnable, String what) {
        Thread thread = new Thread(runnable, "grambot-telegram-" + instanceId + "-" + what);
        thread.setDaemon(true);
        return thread;
    }
}
