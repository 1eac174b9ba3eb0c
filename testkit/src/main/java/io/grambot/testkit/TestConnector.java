package io.grambot.testkit;

import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.grambot.api.PluginException;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;

/**
 * An in-memory chat channel: messages of a person go in through {@link #receive}, and whatever the bot sends is
 * kept per conversation. It is the {@code Connector} of a {@code testkit-chat} instance; {@link Grambot#connector}
 * and {@link Grambot#chat} make one and wrap it in a {@link TestChat}.
 */
@ProviderType
public interface TestConnector {

    /** The plugin id of the in-memory connector's plugin. */
    String PLUGIN_ID = "testkit-chat";

    /** The instance id of this connector: what a bot's {@code connectors} setting names. */
    String id();

    /** A person writes: emits the message as a {@value IncomingMessage#EVENT_TYPE} event of this instance. */
    void receive(IncomingMessage message) throws PluginException;

    /** What was sent to a conversation so far, oldest first. */
    List<OutgoingMessage> sent(String conversationId);

    /**
     * Waits until at least {@code count} messages were sent to a conversation and returns the first {@code count}.
     *
     * @throws AssertionError if fewer were sent within the timeout, with what was sent
     */
    List<OutgoingMessage> awaitSent(String conversationId, int count, Duration timeout) throws InterruptedException;
}
