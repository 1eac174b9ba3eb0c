package io.grambot.api.connector;

import java.util.List;
import java.util.Objects;

import io.grambot.api.Media;

/**
 * A message a person sent through a connector; the connector emits it as the payload of a
 * {@value #EVENT_TYPE} plugin event.
 *
 * @param conversationId the channel's id of the conversation; replies go to the same id
 * @param messageId the channel's id of the message
 * @param senderId the channel's id of the sender
 * @param senderName a display name, or {@code null}
 * @param text the text or caption; may be empty when there are attachments
 * @param attachments images and files that came with the message
 */
public record IncomingMessage(String conversationId, String messageId, String senderId, String senderName, String text,
        List<Media> attachments) {

    /** The plugin event type of an incoming message. */
    public static final String EVENT_TYPE = "message.received";

    public IncomingMessage {
        Objects.requireNonNull(conversationId, "conversationId");
        text = text == null ? "" : text;
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
}
