package io.grambot.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An answer's body read piece by piece with a bound on every wait. {@code HttpRequest.timeout} only covers the wait
 * for the headers; a body that stalls afterwards would block a reader of {@code ofInputStream} for ever.
 */
final class BodyChannel implements Flow.Subscriber<List<ByteBuffer>> {

    /** The body is larger than the caller reads. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("the answer is larger than the " + limit + " bytes this client reads");
        }
    }

    private static final Object END = new Object();

    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private volatile boolean closed;

    static BodyChannel open(Flow.Publisher<List<ByteBuffer>> publisher) {
        BodyChannel channel = new BodyChannel();
        publisher.subscribe(channel);
        return channel;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (!subscription.compareAndSet(null, s) || closed) {
            s.cancel();
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        items.add(item);
    }

    @Override
    public void onError(Throwable failure) {
        items.add(failure);
    }

    @Override
    public void onComplete() {
        items.add(END);
    }

    /**
     * The next piece of the body, or {@code null} at its end.
     *
     * @throws HttpTimeoutException if nothing arrived within {@code timeout} (the body is then abandoned)
     * @throws IOException if the connection failed
     */
    ByteBuffer next(Duration timeout) throws IOException, InterruptedException {
        if (closed) {
            return null;
        }
        Object item = items.poll(Math.max(timeout.toNanos(), 1), TimeUnit.NANOSECONDS);
        if (item == null) {
            close();
            throw new HttpTimeoutException("no data for " + JsonHttpClient.describe(timeout));
        }
        if (item == END) {
            closed = true;
            return null;
        }
        if (item instanceof Throwable failure) {
            closed = true;
            throw failure instanceof IOException io ? io : new IOException(failure.toString(), failure);
        }
        @SuppressWarnings("unchecked")
        List<ByteBuffer> buffers = (List<ByteBuffer>) item;
        subscription.get().request(1);
        int size = buffers.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer joined = ByteBuffer.allocate(size);
        buffers.forEach(joined::put);
        return joined.flip();
    }

    /** The rest of the body, at most {@code limit} bytes, all of it before {@code deadline} ({@link System#nanoTime}). */
    byte[] readAll(long limit, long deadline) throws IOException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer piece;
        while ((piece = next(Duration.ofNanos(deadline - System.nanoTime()))) != null) {
            if (out.size() + (long) piece.remaining() > limit) {
                close();
                throw new TooLarge(limit);
            }
            out.write(piece.array(), piece.arrayOffset() + piece.position(), piece.remaining());
        }
        return out.toByteArray();
    }

    /** Abandons the rest of the body (closing the connection if it was not read to its end). */
    void close() {
        closed = true;
        Flow.Subscription s = subscription.get();
        if (s != null) {
            s.cancel();
        }
    }
}
