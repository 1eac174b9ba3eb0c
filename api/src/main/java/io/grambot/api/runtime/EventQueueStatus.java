package io.grambot.api.runtime;

/**
 * The state of the plugin event queue. Counters count since the queue was (re)started.
 *
 * @param journaled whether accepted events are journaled to disk (and so survive a crash)
 * @param depth events accepted and not yet fully handled, including the ones being handled and the ones in flight
 * @param capacity how many events may be pending before emit blocks or refuses
 * @param accepted events accepted by emit
 * @param replayed events found unhandled in the journal at start and delivered again
 * @param delivered events handed to at least one handler (whatever the handlers' outcome)
 * @param unhandled events no handler was registered for
 * @param rejected events refused because the queue was full
 * @param failed handler calls that threw, or whose {@code handleAsync} stage completed exceptionally
 * @param timedOut handler calls that did not return within the handler timeout, or whose {@code handleAsync} stage
 *        did not complete within the completion timeout
 * @param stuckCalls timed-out handler calls whose thread has still not returned
 * @param handlers registered event handler services
 * @param inFlight events whose handlers all returned but whose {@code handleAsync} stages have not all completed
 *        (part of {@code depth})
 */
public record EventQueueStatus(boolean journaled, long depth, int capacity, long accepted, long replayed,
        long delivered, long unhandled, long rejected, long failed, long timedOut, int stuckCalls, int handlers,
        long inFlight) {

    /** The status without the in-flight count (version 1.0 of this record). */
    public EventQueueStatus(boolean journaled, long depth, int capacity, long accepted, long replayed,
            long delivered, long unhandled, long rejected, long failed, long timedOut, int stuckCalls, int handlers) {
        this(journaled, depth, capacity, accepted, replayed, delivered, unhandled, rejected, failed, timedOut,
                stuckCalls, handlers, 0);
    }
}
