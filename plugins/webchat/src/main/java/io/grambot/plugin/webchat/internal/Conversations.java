package io.grambot.plugin.webchat.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The web chat's conversations: per conversation, the last entries (what the person wrote, what the bot answered)
 * numbered in order, and the pages listening now. A page that connects or reconnects is sent every entry after the
 * last one it saw, then the new ones as they come, without gaps or repeats. The transcript here only serves pages;
 * the bot keeps the conversation's real history.
 */
final class Conversations {

    /** One transcript entry, rendered once as the JSON a page receives. */
    record Entry(long seq, String json) {}

    /** A page listening to a conversation. Each method returns false when the page is gone; it is then dropped. */
    interface Listener {
        boolean deliver(Entry entry);

        /** Sends nothing that matters, to find out whether the page is still there. */
        default boolean ping() {
            return true;
        }
    }

    private final ObjectMapper json;
    private final int transcriptSize;
    private final int maxConversations;
    // access-ordered, so the conversation idle longest is dropped first when there are too many
    private final Map<String, Conversation> conversations;

    Conversations(ObjectMapper json, int transcriptSize, int maxConversations) {
        this.json = json;
        this.transcriptSize = transcriptSize;
        this.maxConversations = maxConversations;
        this.conversations = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Conversation> eldest) {
                return size() > Conversations.this.maxConversations && eldest.getValue().listeners.isEmpty();
            }
        };
    }

    /** Adds an entry to a conversation's transcript and sends it to the pages listening; returns its number. */
    long append(String conversationId, Map<String, Object> message) {
        Conversation conversation = conversation(conversationId);
        synchronized (conversation) {
            long seq = ++conversation.lastSeq;
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("seq", seq);
            fields.putAll(message);
            Entry entry = new Entry(seq, render(fields));
            conversation.transcript.addLast(entry);
            while (conversation.transcript.size() > transcriptSize) {
                conversation.transcript.removeFirst();
            }
            // delivered under the conversation's lock: every page sees the entries in order
            dropGone(conversation, listener -> listener.deliver(entry));
            return seq;
        }
    }

    /**
     * Sends a page every kept entry numbered after {@code afterSeq}, then keeps it listening; close the returned
     * handle when the page is gone.
     */
    AutoCloseable listen(String conversationId, long afterSeq, Listener listener) {
        Conversation conversation = conversation(conversationId);
        synchronized (conversation) {
            for (Entry entry : conversation.transcript) {
                if (entry.seq() > afterSeq && !listener.deliver(entry)) {
                    return () -> {};
                }
            }
            conversation.listeners.add(listener);
        }
        return () -> conversation.listeners.remove(listener);
    }

    /**
     * Offers something to every listening page and drops those that are gone. Not {@code removeIf}: a page that is
     * gone closes its handle while being offered, which removes it from the list during the removal, and the
     * copy-on-write list refuses that with a ConcurrentModificationException (the person's message then failed).
     */
    private static void dropGone(Conversation conversation, java.util.function.Predicate<Listener> offer) {
        List<Listener> gone = new ArrayList<>();
        for (Listener listener : conversation.listeners) { // a snapshot: the handles may remove meanwhile
            if (!offer.test(listener)) {
                gone.add(listener);
            }
        }
        conversation.listeners.removeAll(gone);
    }

    /** Gives every listening page a chance to find out it is gone (a write to a closed connection fails). */
    void ping() {
        for (Conversation conversation : snapshot()) {
            synchronized (conversation) {
                dropGone(conversation, Listener::ping);
            }
        }
    }

    int listening() {
        return snapshot().stream().mapToInt(c -> c.listeners.size()).sum();
    }

    /** The entries kept for a conversation, oldest first. */
    List<Entry> transcript(String conversationId) {
        Conversation conversation = conversation(conversationId);
        synchronized (conversation) {
            return List.copyOf(conversation.transcript);
        }
    }

    private synchronized Conversation conversation(String id) {
        return conversations.computeIfAbsent(id, key -> new Conversation());
    }

    private synchronized List<Conversation> snapshot() {
        return new ArrayList<>(conversations.values());
    }

    private String render(Map<String, Object> fields) {
        try {
            return json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a web chat entry must be plain JSON values: " + e.getOriginalMessage(), e);
        }
    }

    private static final class Conversation {
        final ArrayDeque<Entry> transcript = new ArrayDeque<>();
        final List<Listener> listeners = new CopyOnWriteArrayList<>();
        long lastSeq;
    }
}
