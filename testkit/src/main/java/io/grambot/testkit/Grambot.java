package io.grambot.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.runtime.EventQueueMonitor;
import io.grambot.api.runtime.EventQueueStatus;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.testkit.internal.Waits;

/**
 * A running Grambot as a test sees it: makes plugin instances and bots from settings through ConfigAdmin, waits
 * until they are running, and deletes what it made on {@link #close()}. Every wait is bounded by
 * {@link #timeout()} and fails with what it waited for. {@link GrambotExtension} hands one to each test.
 *
 * <pre>
 * grambot.instance("echo", "main", Map.of("toolName", "echo"));
 * TestChat chat = grambot.chat("bot", "echo");
 * chat.model().callTool("echo", Map.of("text", "hi")).answer(ScriptedModel::lastToolResult);
 * assertThat(chat.ask("say hi")).isEqualTo("hi");
 * </pre>
 */
public final class Grambot implements AutoCloseable {

    /** The bound of every wait unless the framework property {@value #TIMEOUT_PROPERTY} (seconds) says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /** The framework or system property that sets the timeout, in seconds. */
    public static final String TIMEOUT_PROPERTY = "grambot.testkit.timeout";

    /** The factory PID of bot configurations. */
    public static final String BOT_FACTORY_PID = "grambot.bot";

    private final BundleContext context;
    private final Duration timeout;
    /** What this object made, newest first, to delete in that order, with the filter of its services. */
    private final Deque<Made> made = new ArrayDeque<>();

    private record Made(Configuration configuration, String pid, String services) {}

    private Grambot(BundleContext context, Duration timeout) {
        this.context = Objects.requireNonNull(context, "context");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** A Grambot for the test bundle's context, with the default timeout or the configured one. */
    public static Grambot of(BundleContext context) {
        String seconds = context.getProperty(TIMEOUT_PROPERTY);
        return new Grambot(context, seconds == null || seconds.isBlank() ? DEFAULT_TIMEOUT
                : Duration.ofSeconds(Long.parseLong(seconds.strip())));
    }

    /** A Grambot whose waits are bounded by {@code timeout}. */
    public static Grambot of(BundleContext context, Duration timeout) {
        return new Grambot(context, timeout);
    }

    public Duration timeout() {
        return timeout;
    }

    public BundleContext bundleContext() {
        return context;
    }

    /**
     * Creates (or replaces the settings of) the instance {@code instanceId} of a plugin, and waits until the core
     * reports it {@code ACTIVE} and its services are bound into the core's registries.
     *
     * @param settings the instance's settings, secrets included; lists become arrays
     * @throws AssertionError if the instance fails (with the core's reason) or is not active within the timeout
     */
    public PluginInstance instance(String pluginId, String instanceId, Map<String, ?> settings) {
        String factoryPid = PluginConstants.factoryPid(pluginId);
        Configuration configuration = configure(factoryPid, instanceId, settings,
                "(" + PluginConstants.INSTANCE_ID + "=" + instanceId + ")");
        PluginInstance instance = new PluginInstance(this, pluginId, instanceId, configuration);
        instance.awaitActive();
        return instance;
    }

    /** Creates an instance of the test kit's scripted model, for a bot's {@code provider} setting. */
    public ScriptedModel model(String instanceId) {
        return instance(ScriptedModel.PLUGIN_ID, instanceId, Map.of()).service(ScriptedModel.class);
    }

    /** Creates an instance of the test kit's in-memory connector, for a bot's {@code connectors} setting. */
    public TestChat connector(String instanceId) {
        return new TestChat(this, instance(TestConnector.PLUGIN_ID, instanceId, Map.of())
                .service(TestConnector.class), null, TestChat.DEFAULT_CONVERSATION);
    }

    /**
     * Creates a bot ({@value #BOT_FACTORY_PID} configuration named {@code botId}) and waits until it listens to
     * its connectors' messages.
     *
     * @param settings the bot's settings: {@code connectors}, {@code provider}, {@code tools}, {@code
     *        imageGenerator}, {@code systemPrompt}, limits (see the README's table)
     */
    public void bot(String botId, Map<String, ?> settings) {
        String services = "(" + Constants.SERVICE_PID + "=" + BOT_FACTORY_PID + "~" + botId + ")";
        configure(BOT_FACTORY_PID, botId, settings, services);
        ServiceReference<PluginEventHandler> handler = Waits.service(context, PluginEventHandler.class, services,
                timeout);
        long id = (Long) handler.getProperty(Constants.SERVICE_ID);
        EventQueueMonitor queue = service(EventQueueMonitor.class);
        // the queue's own word, not SCR's: SCR shows a reference bound a moment before its bind method has run
        Waits.until("bot '" + botId + "' is bound into the event queue", timeout, () -> queue.isBound(id));
    }

    /**
     * The usual set-up of a bot test: an in-memory connector {@code <botId>.chat}, a scripted model
     * {@code <botId>.model} and a bot {@code botId} that answers the chat through the model, offering it the tools
     * named (tool names, not instance ids; {@code *} for all).
     */
    public TestChat chat(String botId, String... tools) {
        TestChat chat = connector(botId + ".chat");
        ScriptedModel model = model(botId + ".model");
        bot(botId, Map.of("connectors", new String[] { chat.connector().id() }, "provider", model.id(), "tools",
                tools.clone()));
        return new TestChat(this, chat.connector(), model, TestChat.DEFAULT_CONVERSATION);
    }

    /**
     * Waits until the condition holds, polling it, for at most {@link #timeout()}; for effects the test kit does
     * not wait for itself (a file written, a request received).
     *
     * @throws AssertionError naming {@code what} if it does not hold in time
     */
    public void await(String what, BooleanSupplier condition) {
        Waits.until(what, timeout, condition);
    }

    /** Deletes every instance and bot this object made, newest first, and waits until their services are gone. */
    @Override
    public void close() {
        AssertionError failure = null;
        while (!made.isEmpty()) {
            Made next = made.pop();
            try {
                next.configuration().delete();
            } catch (IOException | IllegalStateException e) {
                // already deleted, by the test itself
            }
            try {
                Waits.until("no service " + next.services() + " is left", timeout,
                        () -> Waits.references(context, next.services()).length == 0);
                // the services go as soon as the core withdraws the instance, before SCR has dropped the deleted
                // configuration: a test making the same instance next would first get a component of the old one
                Waits.noComponentConfiguration(scr(), next.pid(), timeout);
            } catch (AssertionError e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // --- for PluginInstance and TestChat

    PluginRuntime runtime() {
        return service(PluginRuntime.class);
    }

    ServiceComponentRuntime scr() {
        return service(ServiceComponentRuntime.class);
    }

    <T> T service(Class<T> type) {
        ServiceReference<T> reference = Waits.service(context, type, null, timeout);
        T service = context.getService(reference);
        if (service == null) {
            throw new AssertionError("the service " + type.getName() + " went away");
        }
        return service;
    }

    /** The connector object registered now for the connector's instance ({@code null} if none is). */
    TestConnector current(TestConnector connector) {
        return withCurrent(TestConnector.class, "(" + PluginConstants.INSTANCE_ID + "=" + connector.id() + ")",
                found -> found);
    }

    /** What the core's event queue says of a conversation's messages: for a failure message. */
    String whereIs(String instanceId, String conversationId, EventQueueStatus before) {
        EventQueueMonitor queue = service(EventQueueMonitor.class);
        long accepted = queue.recentEvents().stream().filter(e -> e.instanceId().equals(instanceId)
                && conversationId.equals(e.payload().get("conversationId"))).count();
        EventQueueStatus now = queue.status();
        String since = before == null ? "" : " (since the last message was sent: accepted +"
                + (now.accepted() - before.accepted()) + ", delivered +" + (now.delivered() - before.delivered())
                + ", unhandled +" + (now.unhandled() - before.unhandled()) + ", failed +"
                + (now.failed() - before.failed()) + ")";
        return "the event queue: " + now + since + ", " + accepted + " recent event(s) of this conversation, "
                + "failures " + queue.failures().stream().filter(f -> f.event().instanceId().equals(instanceId))
                        .map(f -> f.handler() + ": " + f.message()).toList()
                + "; instance " + runtime().instance(instanceId).map(s -> s.state() + " " + s.reason()).orElse("unknown");
    }

    /** The event queue's counters now ({@code null} if the core has no queue running). */
    EventQueueStatus queueStatus() {
        return withCurrent(EventQueueMonitor.class, null, EventQueueMonitor::status);
    }

    /** What {@code read} makes of the service registered now ({@code null} if none is), without waiting. */
    private <T, R> R withCurrent(Class<T> type, String filter, java.util.function.Function<T, R> read) {
        ServiceReference<?>[] found = Waits.references(context, Waits.filter(type, filter).toString());
        if (found.length == 0) {
            return null;
        }
        T service = type.cast(context.getService(found[0]));
        try {
            return service == null ? null : read.apply(service);
        } finally {
            context.ungetService(found[0]);
        }
    }

    /** A configuration the test deleted itself: nothing left to delete on close. */
    void forget(String pid) {
        made.removeIf(m -> m.pid().equals(pid));
    }

    /** The factory configuration {@code factoryPid~name}, created or updated with the settings. */
    private Configuration configure(String factoryPid, String name, Map<String, ?> settings, String services) {
        try {
            Configuration configuration = factoryConfiguration(factoryPid, name);
            configuration.update(dictionary(settings));
            String pid = configuration.getPid();
            if (made.stream().noneMatch(m -> m.pid().equals(pid))) {
                made.push(new Made(configuration, pid, services));
            }
            return configuration;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the configuration " + factoryPid + "~" + name, e);
        }
    }

    /**
     * ConfigAdmin's factory configuration {@code name}. FileInstall 3.7.4 may leave an empty singleton with the
     * same PID behind (FELIX-6812), which ConfigAdmin would hand out instead; it is deleted first.
     */
    private Configuration factoryConfiguration(String factoryPid, String name) throws IOException {
        ConfigurationAdmin configAdmin = service(ConfigurationAdmin.class);
        Configuration configuration = configAdmin.getFactoryConfiguration(factoryPid, name, "?");
        if (configuration.getFactoryPid() == null && configuration.getProperties() == null) {
            configuration.delete();
            configuration = configAdmin.getFactoryConfiguration(factoryPid, name, "?");
        }
        if (!factoryPid.equals(configuration.getFactoryPid())) {
            throw new AssertionError(configuration.getPid() + " is not a factory configuration of " + factoryPid);
        }
        return configuration;
    }

    static Dictionary<String, Object> dictionary(Map<String, ?> settings) {
        Map<String, Object> converted = new LinkedHashMap<>();
        settings.forEach((key, value) -> converted.put(key, value instanceof Collection<?> list ? array(list) : value));
        return new Hashtable<>(converted);
    }

    private static Object array(Collection<?> values) {
        Class<?> type = values.stream().filter(Objects::nonNull).findFirst().<Class<?>>map(Object::getClass)
                .orElse(String.class);
        Object array = Array.newInstance(type, values.size());
        int i = 0;
        for (Object value : values) {
            Array.set(array, i++, value);
        }
        return array;
    }
}
