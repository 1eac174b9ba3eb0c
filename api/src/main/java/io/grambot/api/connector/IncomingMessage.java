package io.grambot.api.connector;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The event payload of this message: {@code conversationId}, {@code messageId}, {@code senderId},
     * {@code senderName}, {@code text}, and {@code attachments} as {@code {mediaType, fileName, base64}} maps.
     * Connectors emit it with {@code context.emit(EVENT_TYPE, message.toPayload())}.
     */
    public Map<String, Object> toPayload() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("conversationId", conversationId);
        putIfPresent(payload, "messageId", messageId);
        putIfPresent(payload, "senderId", senderId);
        putIfPresent(payload, "senderName", senderName);
        payload.put("text", text);
        List<Map<String, Object>> files = new ArrayList<>();
        for (Media media : attachments) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("mediaType", media.mediaType());
            putIfPresent(file, "fileName", media.fileName());
            file.put("base64", Base64.getEncoder().encodeToString(media.data()));
            files.add(file);
        }
        payload.put("attachments", files);
        return payload;
    }

    /**
     * Reads a message from an event payload written by {@link #toPayload()}.
     *
     * @throws IllegalArgumentException if the payload has no {@code conversationId} or a malformed attachment
     */
    public static IncomingMessage fromPayload(Map<String, Object> payload) {
        if (!(payload.get("conversationId") instanceof String conversationId) || conversationId.isEmpty()) {
            throw new IllegalArgumentException("a " + EVENT_TYPE + " payload needs a text 'conversationId', had "
                    + payload.keySet());
        }
        List<Media> attachments = new ArrayList<>();
        if (payload.get("attachments") instanceof List<?> files) {
            for (Object file : files) {
                if (!(file instanceof Map<?, ?> map) || !(map.get("mediaType") instanceof String mediaType)
                        || !(map.get("base64") instanceof String base64)) {
                    throw new IllegalArgumentException("an attachment needs 'mediaType' and 'base64' texts");
                }
                attachments.add(new Media(mediaType, Base64.getDecoder().decode(base64),
                        map.get("fileName") instanceof String name ? name : null));
            }
        }
        return new IncomingMessage(conversationId, text(payload, "messageId"), text(payload, "senderId"),
                text(payload, "senderName"), text(payload, "text"), attachments);
    }

    private static String text(Map<String, Object> payload, String key) {
        Object value = payload.get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
