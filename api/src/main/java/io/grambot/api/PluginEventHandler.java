package io.grambot.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service that receives plugin events of the types named in its {@value PluginConstants#EVENT_TYPE}
 * service property. Events of one instance arrive in emission order; delivery is at least once, so handlers
 * de-duplicate by {@link PluginEvent#id()} where it matters.
 *
 * <p>A handler either finishes its work in {@link #handle} (the usual case), or accepts the event in
 * {@link #handleAsync} and finishes it later, for example on a thread of its own.
 */
@ConsumerType
@FunctionalInterface
public interface PluginEventHandler {

    /** Handles one event; an exception is recorded with the event and does not stop the queue. */
    void handle(PluginEvent event) throws Exception;

    /**
     * Accepts one event whose work finishes later. The queue calls this method, never {@link #handle}, on a handler
     * that overrides it; the default calls {@link #handle} and returns a completed stage.
     *
     * <ul>
     * <li>The call itself is bounded by the queue's handler timeout, like {@link #handle}: return quickly. As soon as
     * it returns, the queue hands the next event of the instance to its handlers, so the events of one instance are
     * accepted in emission order but may finish in any order (keep an order of your own where it matters).</li>
     * <li>The event is done, and leaves the journal, when the returned stage has completed (and the event's other
     * handlers are done). Until then it counts as pending against the queue's capacity.</li>
     * <li>Completing the stage exceptionally, like throwing from this method, is recorded with the event as a handler
     * failure; the event is not retried.</li>
     * <li>A stage that has not completed within the queue's completion timeout is recorded as timed out and the
     * event is done; the queue does not cancel the stage.</li>
     * <li>At least once: an instance's events are acknowledged only up to its oldest unfinished one, so after a crash
     * or a stop that event is delivered again, and so may be events after it that had already finished.</li>
     * </ul>
     *
     * @return a stage that completes when the event's work is done; never {@code null}
     */
    default CompletionStage<?> handleAsync(PluginEvent event) throws Exception {
        handle(event);
        return CompletableFuture.completedStage(null);
    }
}
