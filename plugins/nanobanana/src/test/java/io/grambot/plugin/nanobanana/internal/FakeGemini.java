package io.grambot.plugin.nanobanana.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for the Gemini API: answers each request with the next scripted answer (Google's documented wire
 * format is written out in the tests) and records the requests.
 */
final class FakeGemini implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A request as the server received it. */
    record Received(String method, String path, Headers headers, String body) {

        String header(String name) {
            return headers.getFirst(name);
        }

        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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

    FakeGemini() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Answer answer = answers.poll();
            (answer == null ? json(500, "{\"error\":{\"code\":500,\"message\":\"the test scripted no answer\","
                    + "\"status\":\"INTERNAL\"}}") : answer).answer(exchange);
        });
        server.start();
    }

    /** The base URL of the fake, as a setting would name it (without /v1beta). */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeGemini then(Answer answer) {
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

    /** Closes the connection without answering. */
    static Answer drop() {
        return exchange -> {
            throw new IOException("dropping the connection on purpose");
        };
    }
}
