package io.grambot.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reading the body of a request a plugin's servlet receives (a webhook, the web chat), at most a given size. A body
 * that is too large is still read, and dropped, up to {@link #MAX_SWALLOWED_BYTES}: a server that stops reading and
 * answers while the client is still sending resets the connection, and the client never sees the refusal
 * ("header parser received no bytes"), only a broken connection.
 */
public final class RequestBodies {

    /** How much of a body too large to take is still read and dropped before the refusal is sent. */
    public static final long MAX_SWALLOWED_BYTES = 16L * 1024 * 1024;

    /**
     * What was read: the body, or {@code null} if it was larger than allowed; {@code closeAfterAnswer} when even
     * the dropping stopped before its end, and the connection must be closed after the answer.
     */
    public record Body(byte[] bytes, boolean closeAfterAnswer) {
        public boolean tooLarge() {
            return bytes == null;
        }
    }

    private RequestBodies() {}

    /** Reads the body, at most {@code max} bytes; a larger one is dropped (see the class comment). */
    public static Body read(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max);
        if (in.read() < 0) {
            return new Body(bytes, false);
        }
        return new Body(null, !drop(in, MAX_SWALLOWED_BYTES));
    }

    /** Reads and drops the rest of a body, at most {@code max} bytes; whether it reached the end. */
    public static boolean drop(InputStream in, long max) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (long read = 0; read < max;) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, max - read));
            if (n < 0) {
                return true;
            }
            read += n;
        }
        return in.read() < 0;
    }
}
