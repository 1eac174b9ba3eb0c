package io.grambot.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.testkit.TestConnector;

/** The in-memory chat channel of a {@code testkit-chat} instance. */
@GrambotPlugin(id = TestConnector.PLUGIN_ID, name = "Test kit chat",
        description = "An in-memory chat channel for tests.")
@Component(configurationPid = "testkit.chat", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { Connector.class, TestConnector.class })
public final class InMemoryConnector implements Connector, TestConnector {

    /** Emits a message as an event of the instance; the core's {@code PluginContext::emit} in the framework. */
    interface Emitter {
        void emit(String type, Map<String, Object> payload) throws PluginException;
    }

    private final String id;
    private final Emitter emitter;
    /** What was sent, per conversation; guarded by this. */
    private final Map<String, List<OutgoingMessage>> sent = new HashMap<>();

    @Activate
    public InMemoryConnector(@Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this(context.instanceId(), context::emit);
    }

    InMemoryConnector(String id, Emitter emitter) {
        this.id = id;
        this.emitter = emitter;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void receive(IncomingMessage message) throws PluginException {
        emitter.emit(IncomingMessage.EVENT_TYPE, message.toPayload());
    }

    @Override
    public synchronized void send(OutgoingMessage message) {
        sent.computeIfAbsent(message.conversationId(), c -> new ArrayList<>()).add(message);
        notifyAll();
    }

    @Override
    public synchronized List<OutgoingMessage> sent(String conversationId) {
        return List.copyOf(sent.getOrDefault(conversationId, List.of()));
    }

    @Override
    public synchronized List<OutgoingMessage> awaitSent(String conversationId, int count, Duration timeout)
            throws InterruptedException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<OutgoingMessage> messages = sent.getOrDefault(conversationId, List.of());
            if (messages.size() >= count) {
                return List.copyOf(messages.subList(0, count));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("connector '" + id + "': expected " + count + " message(s) sent to "
                        + "conversation '" + conversationId + "' within " + timeout.toMillis() + " ms, found "
                        + messages.size() + (messages.isEmpty() ? "" : ": "
                                + messages.stream().map(OutgoingMessage::text).toList()));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
