package io.grambot.http;

import java.util.Objects;

/**
 * One server-sent event.
 *
 * @param type the {@code event:} field, {@code message} when the event had none
 * @param data the {@code data:} lines joined with {@code \n}
 * @param id the last event id seen so far in the stream (ids carry over to later events), or empty
 */
public record SseEvent(String type, String data, String id) {

    public SseEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(id, "id");
    }
}
