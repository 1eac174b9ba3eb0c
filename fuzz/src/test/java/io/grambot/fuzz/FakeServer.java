package io.grambot.fuzz;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local HTTP/1.1 server on a plain socket, answering every request with the answer set last and closing the
 * connection; a {@link Hostile.Body#cut() cut} body announces more bytes than it sends, then the socket closes, as a
 * dropped connection would.
 */
public final class FakeServer implements AutoCloseable {

    /** One answer: status, content type, body and an optional Retry-After. */
    public record Answer(int status, String contentType, Hostile.Body body, String retryAfter) {}

    private final ServerSocket socket;
    private final AtomicReference<Answer> next = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final ExecutorService workers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "fuzz-fake-server");
        thread.setDaemon(true);
        return thread;
    });

    public FakeServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        workers.execute(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    workers.execute(() -> serve(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private void serve(Socket connection) {
        try (connection) {
            InputStream in = new BufferedInputStream(connection.getInputStream());
            int length = 0;
            String line;
            while (!(line = readLine(in)).isEmpty()) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring("content-length:".length()).trim());
                }
            }
            in.readNBytes(length);
            requests.incrementAndGet();
            Answer answer = next.get();
            byte[] body = answer.body().bytes();
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(answer.status()).append(" Fuzz\r\n")
                    .append("Connection: close\r\n")
                    .append("Content-Length: ").append(answer.body().cut() ? body.length + 100 : body.length)
                    .append("\r\n");
            if (!answer.contentType().isEmpty()) {
                head.append("Content-Type: ").append(answer.contentType()).append("\r\n");
            }
            if (answer.retryAfter() != null) {
                head.append("Retry-After: ").append(answer.retryAfter()).append("\r\n");
            }
            OutputStream out = connection.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        } catch (IOException | RuntimeException dropped) {
            // the client went away: nothing to answer
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    public void answer(Answer answer) {
        next.set(answer);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        workers.shutdownNow();
    }
}
