package io.grambot.api.connector;

import io.grambot.api.PluginException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A chat channel such as Telegram or the web chat. Incoming messages are not pulled through this interface:
 * the connector emits them as {@link IncomingMessage#EVENT_TYPE} plugin events.
 */
@ConsumerType
public interface Connector {

    /** The id of this channel: the publishing instance's id. */
    String id();

    /**
     * Checks an outgoing message before anything is sent (Bacon's {@code validatePayload}). The core calls it
     * before {@link #send}, and refuses the message with the problems if it is invalid.
     */
    default PayloadValidation validate(OutgoingMessage message) {
        return PayloadValidation.VALID;
    }

    /** Sends a message to a conversation; the message is either sent whole or refused with the reason. */
    void send(OutgoingMessage message) throws PluginException;
}
