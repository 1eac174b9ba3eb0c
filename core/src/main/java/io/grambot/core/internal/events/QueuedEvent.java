package io.grambot.core.internal.events;

import io.grambot.api.PluginEvent;

/**
 * An accepted event on its way to the handlers.
 *
 * @param event the event
 * @param replayed whether it was recovered from the journal at start (its handlers may not be registered yet)
 * @param segment the journal segment holding it, or {@code null} in memory mode
 * @param record its position in the segment
 * @param cursor the acknowledgement cursor of its instance, or {@code null} in memory mode
 */
record QueuedEvent(PluginEvent event, boolean replayed, EventJournal.Segment segment, int record,
        EventJournal.Cursor cursor) {

    static QueuedEvent inMemory(PluginEvent event) {
        return new QueuedEvent(event, false, null, 0, null);
    }
}
