package io.grambot.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
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

/** A local HTTP server that answers each request with the next scripted answer and records what it was sent. */
final class FakeServer implements AutoCloseable {

    /** A request as the server received it. */
    record Received(String method, String pathAndQuery, Headers headers, String body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** One scripted answer. */
    @FunctionalInterface
    interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Released when the test ends, so answers that hang let the server stop. */
    final CountDownLatch released = new CountDownLatch(1);

    FakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Answer answer = answers.poll();
            if (answer == null) {
                json(599, "{\"error\":{\"message\":\"no answer scripted\"}}").answer(exchange);
            } else {
                answer.answer(exchange);
            }
        });
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    FakeServer then(Answer answer) {
        answers.add(answer);
        return this;
    }

    List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    static Answer json(int status, String body) {
        return answer(status, Map.of("Content-Type", "application/json"), body);
    }

    static Answer answer(int status, Map<String, String> headers, String body) {
        return exchange -> {
            headers.forEach(exchange.getResponseHeaders()::add);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    /** An event stream written in these pieces, each flushed on its own. */
    static Answer events(String... pieces) {
        return exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String piece : pieces) {
                    out.write(piece.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        };
    }

    /** Raw bytes of an event stream in these pieces (to split a character between pieces). */
    static Answer eventBytes(byte[]... pieces) {
        return exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (byte[] piece : pieces) {
                    out.write(piece);
                    out.flush();
                }
            }
        };
    }

    /** Closes the connection without answering. */
    static Answer drop() {
        return exchange -> {
            throw new IOException("dropping the connection on purpose");
        };
    }

    /** Starts an event stream, writes these pieces, then drops the connection without ending the body. */
    static Answer eventsThenDrop(String... pieces) {
        return exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String piece : pieces) {
                out.write(piece.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            throw new IOException("dropping the connection on purpose");
        };
    }

    /** Sends headers (and optionally a first piece), then waits until the test ends without finishing. */
    Answer stall(int status, String contentType, String first) {
        return exchange -> {
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(first.getBytes(StandardCharsets.UTF_8));
            out.flush();
            awaitRelease();
        };
    }

    /** Answers nothing until the test ends. */
    Answer hang() {
        return exchange -> awaitRelease();
    }

    private void awaitRelease() throws IOException {
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IOException("released");
    }
}
