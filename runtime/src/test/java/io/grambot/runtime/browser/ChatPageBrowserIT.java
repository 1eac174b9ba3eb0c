package io.grambot.runtime.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * The README's promise, in a real browser: a fresh distribution serves a chat page at the address it prints; with
 * no model the bot explains how to configure one; once an OpenAI-compatible server is configured (here a local fake
 * answering in OpenAI's Chat Completions format) the same page gets the model's answer.
 */
class ChatPageBrowserIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path DISTRIBUTION = Path.of(System.getProperty("grambot.distribution", "target/grambot"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private Process grambot;
    private HttpServer model;

    @AfterEach
    void stop() throws Exception {
        if (model != null) {
            model.stop(0);
        }
        if (grambot != null && grambot.isAlive()) {
            grambot.destroy();
            if (!grambot.waitFor(20, TimeUnit.SECONDS)) {
                grambot.destroyForcibly();
            }
        }
    }

    @Test
    void theChatPageExplainsItselfWithoutAModelAndAnswersThroughAConfiguredOne() throws Exception {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(DISTRIBUTION.resolve("bin/grambot").toAbsolutePath().toString())
                .directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("grambot.log").toFile()));
        builder.environment().put("GRAMBOT_HTTP_PORT", Integer.toString(port));
        builder.environment().put("GRAMBOT_ADMIN_PASSWORD", "browser-test-password");
        grambot = builder.start();

        // the start output names the page
        String url = "http://127.0.0.1:" + port + "/chat/";
        await("the start output prints the chat page's address", () -> log().contains("ready at " + url));

        try (WebDriver browser = new WebDriver(work.resolve("chromium-profile"))) {
            browser.open(url);
            await("the page is loaded", () -> browser.script("return document.title").asText().equals("Grambot"));

            // no model yet: the answer says what to configure, where, and which secret
            say(browser, "hello?");
            String explanation = awaitAnswer(browser, 1);
            assertThat(explanation).contains("\"openai\", which is not set up yet", "openai-codex",
                    "/system/console/configMgr", "apiKey", "etc/openai.codex-openai.cfg");

            // a local OpenAI-compatible server, configured with one file as the README says
            List<JsonNode> requests = new CopyOnWriteArrayList<>();
            model = fakeOpenAi(requests);
            Files.writeString(work.resolve("etc/openai.codex-openai.cfg"), "baseUrl=http://127.0.0.1:"
                    + model.getAddress().getPort() + "/v1\nmodel=local-test-model\n");

            // until the new instance is up the bot keeps explaining; each message gets one answer
            int answers = 1;
            String answer = explanation;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!answer.startsWith("Hello from the local model") && System.nanoTime() < deadline) {
                say(browser, "are you there?");
                answer = awaitAnswer(browser, ++answers);
            }
            assertThat(answer).isEqualTo("Hello from the local model, you said: are you there?");
            JsonNode request = requests.get(requests.size() - 1);
            assertThat(request.path("model").asText()).isEqualTo("local-test-model");
            assertThat(request.path("messages").get(0).path("content").asText())
                    .isEqualTo("You are a helpful assistant.");

            // the transcript survives a reload of the page
            browser.open(url);
            int shown = answers;
            await("the reloaded page shows the conversation again", () -> answers(browser).size() == shown);

            // a restart of Grambot: the bot still knows the conversation (the page keeps its conversation id)
            grambot.destroy();
            assertThat(grambot.waitFor(30, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
            Files.writeString(work.resolve("grambot.log"), "");
            grambot = builder.start();
            await("Grambot is back", () -> log().contains("ready at " + url));
            int before = requests.size();
            browser.open(url);
            await("the page is loaded again", () -> browser.script("return document.title").asText().equals("Grambot"));
            say(browser, "still there?");
            await("the model is asked again", () -> requests.size() > before);
            List<String> sent = requests.get(requests.size() - 1).findValuesAsText("content");
            assertThat(sent).as("the history from before the restart goes to the model").contains("are you there?",
                    "Hello from the local model, you said: are you there?", "still there?");
        }
    }

    private void say(WebDriver browser, String text) throws Exception {
        String box = browser.find("#text");
        browser.type(box, text);
        browser.click(browser.find("#send"));
    }

    /** Waits for the page to show {@code count} answers from the bot; returns the last one's text. */
    private String awaitAnswer(WebDriver browser, int count) throws Exception {
        await(count + " answers in the page", () -> answers(browser).size() >= count);
        List<String> answers = answers(browser);
        return answers.get(count - 1);
    }

    private static List<String> answers(WebDriver browser) throws Exception {
        JsonNode texts = browser.script(
                "return Array.from(document.querySelectorAll('.entry.bot')).map(e => e.textContent)");
        return JSON.convertValue(texts, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    /** Chat Completions as OpenAI documents it, answering every message with a greeting that quotes it. */
    private static HttpServer fakeOpenAi(List<JsonNode> requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            requests.add(body);
            JsonNode messages = body.path("messages");
            String said = messages.get(messages.size() - 1).path("content").asText();
            byte[] answer = JSON.writeValueAsBytes(Map.of("id", "chatcmpl-1", "object", "chat.completion",
                    "created", 1_700_000_000, "model", body.path("model").asText(), "choices", List.of(Map.of(
                            "index", 0, "finish_reason", "stop", "message", Map.of("role", "assistant", "content",
                                    "Hello from the local model, you said: " + said))),
                    "usage", Map.of("prompt_tokens", 9, "completion_tokens", 9, "total_tokens", 18)));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    private String log() throws IOException {
        Path file = work.resolve("grambot.log");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    // bounded polling; fails with Grambot's output so a broken start explains itself
    private void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.holds()) {
            if (!grambot.isAlive()) {
                throw new AssertionError("Grambot exited while waiting until " + what + "\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "\n" + log());
            }
            Thread.sleep(50); // polling interval of a bounded wait
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
