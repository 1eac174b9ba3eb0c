package io.grambot.http;

import io.grambot.api.PluginException;

/** Receives the events of a server-sent event stream, in order, on the thread that reads the stream. */
@FunctionalInterface
public interface SseListener {

    /** An event; throwing ends the stream and the call with this failure. */
    void onEvent(SseEvent event) throws PluginException;

    /** A comment line ({@code : text}), often a keep-alive; ignored unless overridden. */
    default void onComment(String comment) throws PluginException {}
}
