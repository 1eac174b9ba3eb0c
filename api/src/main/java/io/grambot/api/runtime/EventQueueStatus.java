package io.grambot.api.runtime;

/**
 * The state of the plugin event queue. Counters count since the queue was (re)started.
 *
 * @param journaled whether accepted events are journaled to disk (and so survive a crash)
 * @param depth events accepted and not yet fully handled, including the ones being handled
 * @param capacity how many events may be pending before emit blocks or refuses
 * @param accepted events accepted by emit
 * @param replayed events found unhandled in the journal at start and delivered again
 * @param delivered events handed to at least one handler (whatever the handlers' outcome)
 * @param unhandled events no handler was registered for
 * @param rejected events refused because the queue was full
 * @param failed handler calls that threw
 * @param timedOut handler calls that did not return within the handler timeout
 * @param stuckCalls timed-out handler calls whose thread has still not returned
 * @param handlers registered event handler services
 */
public record EventQueueStatus(boolean journaled, long depth, int capacity, long accepted, long replayed,
        long delivered, long unhandled, long rejected, long failed, long timedOut, int stuckCalls, int handlers) {
}
