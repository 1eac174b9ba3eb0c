package io.grambot.api.connector;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.grambot.api.Media;

/**
 * A message to send to a conversation.
 *
 * @param conversationId the channel's id of the conversation (a Telegram chat id, a web chat session)
 * @param text the text; may be empty when there are attachments
 * @param attachments images and files to send with the text
 * @param replyToMessageId the channel's id of the message answered, or {@code null}
 * @param options channel-specific options, for example a parse mode
 */
public record OutgoingMessage(String conversationId, String text, List<Media> attachments, String replyToMessageId,
        Map<String, Object> options) {

    public OutgoingMessage {
        Objects.requireNonNull(conversationId, "conversationId");
        text = text == null ? "" : text;
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public static OutgoingMessage text(String conversationId, String text) {
        return new OutgoingMessage(conversationId, text, List.of(), null, Map.of());
    }
}
