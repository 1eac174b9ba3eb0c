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
@Component(configurationPid = "testchat", configurationPolicy = ConfigurationPolicy.REQUIRE, service = Connector.class)
public final class TestChatConnector implements Connector {

    private final PluginContext context;
    private final List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();

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
        sent.add(message);
    }

    List<OutgoingMessage> sent() {
        return List.copyOf(sent);
    }
}
