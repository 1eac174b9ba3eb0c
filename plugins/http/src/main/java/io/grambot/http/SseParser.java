package io.grambot.http;

import io.grambot.api.PluginException;

/**
 * Turns the text of an {@code text/event-stream} into events, as the HTML standard's "event stream interpretation"
 * says: lines end in CRLF, LF or CR; {@code data:} lines of one event are joined with {@code \n}; {@code event:} sets
 * the type; {@code id:} sets the last event id (ignored if it contains NUL); lines starting with {@code :} are
 * comments; a blank line dispatches the event; one space after the colon is dropped; unknown fields and
 * {@code retry:} are ignored (this client does not reconnect). Text may arrive in chunks split anywhere, including
 * between CR and LF. At the end of the stream an event without its closing blank line is discarded.
 *
 * <p>Not thread-safe: one parser per stream.
 */
public final class SseParser {

    private final SseListener listener;
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private String type = "";
    private String lastId = "";
    private boolean afterCr;
    private boolean started;
    private boolean hasData;

    public SseParser(SseListener listener) {
        this.listener = listener;
    }

    /** Feeds the next piece of the stream's text; complete lines are interpreted, the rest waits for more. */
    public void feed(CharSequence chunk) throws PluginException {
        for (int i = 0; i < chunk.length(); i++) {
            char c = chunk.charAt(i);
            if (!started) {
                started = true;
                if (c == '\uFEFF') { // one byte order mark at the start of the stream is not part of the text
                    continue;
                }
            }
            if (afterCr) {
                afterCr = false;
                if (c == '\n') { // the LF of a CRLF split across chunks or not
                    continue;
                }
            }
            if (c == '\r') {
                afterCr = true;
                endOfLine();
            } else if (c == '\n') {
                endOfLine();
            } else {
                line.append(c);
            }
        }
    }

    /** The end of the stream: a pending incomplete event is discarded, as the standard says. */
    public void finish() {
        line.setLength(0);
        data.setLength(0);
        hasData = false;
        type = "";
    }

    /** The last event id the stream set, or empty. */
    public String lastEventId() {
        return lastId;
    }

    private void endOfLine() throws PluginException {
        if (line.length() == 0) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            String comment = line.substring(1);
            line.setLength(0);
            listener.onComment(comment.startsWith(" ") ? comment.substring(1) : comment);
            return;
        }
        int colon = line.indexOf(":");
        String field = colon < 0 ? line.toString() : line.substring(0, colon);
        String value = "";
        if (colon >= 0) {
            int start = colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
            value = line.substring(start);
        }
        line.setLength(0);
        switch (field) {
            case "data" -> {
                data.append(value).append('\n');
                hasData = true;
            }
            case "event" -> type = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastId = value;
                }
            }
            default -> {
                // "retry" and unknown fields: nothing to do
            }
        }
    }

    private void dispatch() throws PluginException {
        if (!hasData) { // an event without data is not dispatched; its type is forgotten
            type = "";
            return;
        }
        data.setLength(data.length() - 1); // the standard removes the last line feed
        SseEvent event = new SseEvent(type.isEmpty() ? "message" : type, data.toString(), lastId);
        data.setLength(0);
        hasData = false;
        type = "";
        listener.onEvent(event);
    }
}
