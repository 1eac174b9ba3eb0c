package io.grambot.core.internal.bot;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A running bot as the core's management pages see it (a service of every active {@code grambot.bot}). */
public interface Bot {

    /** The settings it runs with; {@link BotSettings#botId()} is its id. */
    BotSettings settings();

    /** Its conversations, most recently updated first (see {@link ConversationStore#conversations}). */
    List<ConversationStore.Summary> conversations() throws IOException;

    /**
     * Forgets a conversation, in order with its turns: a turn running or queued when this is called ends (and saves
     * its history) first, then the history is deleted, so no turn writes it back. Completes with whether there was
     * history; exceptionally if it could not be deleted or the bot stopped first.
     *
     * @param connector the connector instance id
     * @param key the conversation's {@link ConversationStore.Summary#key() key}
     */
    CompletableFuture<Boolean> clear(String connector, String key);

    /** The lane a conversation's turns and clears run in, one after another. */
    static String lane(String connector, String key) {
        return connector + '/' + key;
    }
}
