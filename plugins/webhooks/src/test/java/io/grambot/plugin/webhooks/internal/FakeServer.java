package io.grambot.plugin.webhooks.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A local HTTP server (the JDK's) that answers each request with the next scripted answer and records the requests. */
final class FakeServer implements AutoCloseable {

    /** A request as the server received it. */
    record Received(String method, String path, String rawQuery, Headers headers, byte[] body) {

        String header(String name) {
            return headers.getFirst(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @FunctionalInterface
    interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Released on close, so answers that hang end with the test. */
    private final CountDownLatch closing = new CountDownLatch(1);

    FakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body));
            Answer answer = answers.poll();
            (answer == null ? json(599, "{\"error\":\"the test scripted no answer\"}") : answer).answer(exchange);
        });
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}. */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeServer then(Answer answer) {
        answers.add(answer);
        return this;
    }

    List<Received> received() {
        return received;
    }

    Received last() {
        return received.get(received.size() - 1);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    static Answer json(int status, String body) {
        return answer(status, Map.of("Content-Type", "application/json"), body);
    }

    /** An answer with these headers. */
    static Answer answer(int status, Map<String, String> headers, String body) {
        return bytes(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    static Answer bytes(int status, Map<String, String> headers, byte[] body) {
        return exchange -> {
            headers.forEach(exchange.getResponseHeaders()::add);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    /** Closes the connection without answering. */
    static Answer drop() {
        return exchange -> {
            throw new IOException("dropping the connection on purpose");
        };
    }

    /** Answers nothing until the server closes. */
    Answer hang() {
        return exchange -> {
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        };
    }
}
