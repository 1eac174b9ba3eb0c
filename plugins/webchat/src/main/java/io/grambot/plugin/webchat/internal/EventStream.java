package io.grambot.plugin.webchat.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;

/** One page's server-sent-events connection: each transcript entry is an event whose id is its number. */
final class EventStream implements Conversations.Listener {

    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

    private final AsyncContext async;
    private final ServletOutputStream out;
    private boolean closed;

    EventStream(AsyncContext async) throws IOException {
        this.async = async;
        this.out = async.getResponse().getOutputStream();
    }

    @Override
    public boolean deliver(Conversations.Entry entry) {
        // the JSON is one line (Jackson escapes line breaks inside strings), so one data: field carries it
        return write(("id: " + entry.seq() + "\nevent: message\ndata: " + entry.json() + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean ping() {
        return write(PING);
    }

    synchronized boolean write(byte[] bytes) {
        if (closed) {
            return false;
        }
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException | IllegalStateException gone) {
            close();
            return false;
        }
    }

    synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                async.complete();
            } catch (IllegalStateException alreadyCompleted) {
                // the container completed it first (client gone, timeout)
            }
        }
    }
}
