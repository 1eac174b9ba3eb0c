package io.grambot.testkit;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.grambot.api.PluginException;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.runtime.EventQueueStatus;
import io.grambot.testkit.internal.Waits;

/**
 * One conversation in an in-memory connector: {@link #send} is a person writing, {@link #awaitAnswer} the bot's
 * next answer in this conversation. Made by {@link Grambot#chat} (with its scripted model) or
 * {@link Grambot#connector}.
 */
public final class TestChat {

    static final String DEFAULT_CONVERSATION = "conversation-1";

    private final Grambot grambot;
    private final TestConnector connector;
    private final ScriptedModel model;
    private final String conversationId;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    /** The event queue's counters as the last message was sent: a failure says what became of it. */
    private volatile EventQueueStatus queueBeforeSend;

    TestChat(Grambot grambot, TestConnector connector, ScriptedModel model, String conversationId) {
        this.grambot = grambot;
        this.connector = connector;
        this.model = model;
        this.conversationId = conversationId;
    }

    /** Another conversation in the same connector, with the same model. */
    public TestChat conversation(String conversationId) {
        return new TestChat(grambot, connector, model, conversationId);
    }

    public String conversationId() {
        return conversationId;
    }

    public TestConnector connector() {
        return connector;
    }

    /** The scripted model answering this chat's bot. */
    public ScriptedModel model() {
        if (model == null) {
            throw new IllegalStateException("this chat was made with Grambot.connector(\"" + connector.id()
                    + "\"): its bot's model is whatever its provider setting names; Grambot.chat makes a scripted one");
        }
        return model;
    }

    /** A person writes {@code text} in this conversation. */
    public TestChat send(String text) {
        int n = sent.incrementAndGet();
        return send(new IncomingMessage(conversationId, conversationId + "-" + n, "tester", "Tester", text,
                List.of()));
    }

    /** A person sends this message (its conversation id should be this chat's). */
    public TestChat send(IncomingMessage message) {
        queueBeforeSend = grambot.queueStatus();
        try {
            connector.receive(message);
        } catch (PluginException e) {
            throw new AssertionError("the event queue refused the message: " + e.getMessage(), e);
        }
        return this;
    }

    /** The bot's next answer in this conversation (the first one not returned before), waiting for it. */
    public OutgoingMessage awaitAnswer() {
        int next = answered.incrementAndGet();
        try {
            return connector.awaitSent(conversationId, next, grambot.timeout()).get(next - 1);
        } catch (AssertionError unanswered) {
            if (grambot.current(connector) != connector) {
                throw new AssertionError(unanswered.getMessage() + "; this chat's connector object was replaced: "
                        + "its component was activated again, and the bot answers through the new one", unanswered);
            }
            throw new AssertionError(unanswered.getMessage() + "; " + grambot.whereIs(connector.id(), conversationId,
                    queueBeforeSend)
                    + (model == null ? "" : "; the model had " + model.requests().size() + " request(s), "
                            + model.pendingSteps() + " step(s) left"), unanswered);
        } catch (InterruptedException e) {
            throw Waits.interrupted(e);
        }
    }

    /** Sends {@code text} and returns the text of the bot's answer. */
    public String ask(String text) {
        return send(text).awaitAnswer().text();
    }

    /** Every answer sent to this conversation so far. */
    public List<OutgoingMessage> answers() {
        return connector.sent(conversationId);
    }
}
