package io.grambot.itest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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

/** An in-memory chat channel for bot tests: messages go in through {@link #receive}, answers are kept. */
@GrambotPlugin(id = "testchat", name = "Test chat", description = "An in-memory connector for tests.")
// immediate: a delayed component is disposed when a test that got it first lets go before the core's registry
// binds it, and the test would then hold an instance that no longer receives what the core sends
@Component(configurationPid = "testchat", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = Connector.class)
public final class TestChatConnector implements Connector {

    private final PluginContext context;
    private final List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();
    /** Per conversation, when each answer went (System.nanoTime), so waiting for one is not a scan of all. */
    private final java.util.Map<String, List<Long>> sentAt = new java.util.HashMap<>();

    @Activate
    public TestChatConnector(@Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this.context = context;
    }

    @Override
    public String id() {
        return context.instanceId();
    }

    /** A person writes to the bot. */
    void receive(String conversationId, String messageId, String text) throws PluginException {
        context.emit(IncomingMessage.EVENT_TYPE,
                new IncomingMessage(conversationId, messageId, "tester", "Tester", text, List.of()).toPayload());
    }

    @Override
    public void send(OutgoingMessage message) {
        long now = System.nanoTime();
        synchronized (this) {
            sent.add(message);
            sentAt.computeIfAbsent(message.conversationId(), id -> new java.util.ArrayList<>()).add(now);
            notifyAll();
        }
    }

    /** Waits (bounded) until {@code count} answers went to a conversation; returns when the last of them went. */
    synchronized long awaitSent(String conversationId, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Eventually.TIMEOUT.toNanos();
        while (true) {
            List<Long> times = sentAt.getOrDefault(conversationId, List.of());
            if (times.size() >= count) {
                return times.get(count - 1);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + count + " answers in " + conversationId);
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    List<OutgoingMessage> sent() {
        return List.copyOf(sent);
    }
}
