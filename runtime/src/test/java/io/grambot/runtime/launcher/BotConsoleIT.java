package io.grambot.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grambot page of the web console, in the real distribution: a bot from a file in etc/, conversation histories
 * seeded in the data directory (one of the current format, one older file without header, one whose id is markup),
 * listed on /system/console/grambot; Clear is a POST that needs the session's token and this origin, and deletes
 * the history.
 */
class BotConsoleIT {

    private static final String PAGE = "/system/console/grambot";
    private static final String EVIL_ID = "<img src=x onerror=alert(1)>${appRoot}";
    private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");

    @TempDir
    Path work;

    private RunningDistribution grambot;
    private Path conversations;

    @BeforeEach
    void prepare() throws Exception {
        grambot = new RunningDistribution(work);
        conversations = grambot.data().resolve("bots/console/webchat");
        Files.createDirectories(conversations);
        Files.createDirectories(work.resolve("etc"));
        Files.writeString(work.resolve("etc/grambot.bot-console.config"),
                "connectors=[\"webchat\"]\nprovider=\"nowhere\"\nmodel=\"small-model\"\n");
    }

    @AfterEach
    void stop() throws Exception {
        grambot.close();
    }

    @Test
    void listsTheBotsConversationsAndClearsOneWithAPostThatCarriesTheSessionsToken() throws Exception {
        Path current = seed("room-4711-with-a-long-id", "{\"format\":2,\"conversationId\":\"room-4711-with-a-long-id\","
                + "\"connector\":\"webchat\",\"updated\":\"2026-03-01T10:00:00Z\",\"messageCount\":2,\"messages\":["
                + message("USER", "hi") + "," + message("ASSISTANT", "hello") + "]}");
        Path older = seed("room-from-before", "[" + message("USER", "a") + "," + message("ASSISTANT", "b") + ","
                + message("USER", "c") + "]");
        Files.setLastModifiedTime(older, FileTime.from(Instant.parse("2025-12-24T18:00:00Z")));
        Path evil = seed(EVIL_ID, "{\"format\":2,\"conversationId\":" + json(EVIL_ID) + ",\"connector\":\"webchat\","
                + "\"updated\":\"2026-02-01T00:00:00Z\",\"messageCount\":1,\"messages\":[" + message("USER", "x")
                + "]}");

        grambot.start();
        String password = grambot.awaitPassword();
        // (the distribution's default bot is listed too)
        HttpResponse<String> page = grambot.awaitResponse(PAGE, password, r -> r.statusCode() == 200 && r.body()
                .contains("\">console</a></td><td>webchat (no such instance)</td><td>nowhere (no such instance)</td>"
                        + "<td>small-model</td><td>running</td>"));

        String body = page.body();
        assertThat(body).contains("Conversations of console");
        assertThat(body).contains("title=\"room-4711-with-a-long-id\"", "<code>room-4711-with-…</code>",
                "<td>2</td>", "2026-03-01 10:00:00 UTC");
        assertThat(body).contains("(older file " + key("room-from-before").substring(0, 8) + "…)", "<td>3</td>",
                "2025-12-24 18:00:00 UTC");
        // the markup id is shown as text, and the console's ${...} substitution does not reach it
        assertThat(body).doesNotContain("<img src=x").contains("&lt;img src=x",
                "&#36;{appRoot}");
        String token = token(body);

        // GET never changes anything, whatever it asks for
        assertThat(grambot.get(PAGE + "?action=clear&bot=console&connector=webchat&conversation="
                + key("room-4711-with-a-long-id") + "&token=" + token, password).statusCode()).isEqualTo(200);
        assertThat(current).exists();

        // no token, a wrong token, or another site's page: refused, nothing deleted
        Map<String, String> clear = clearForm("room-4711-with-a-long-id", null);
        assertThat(post(password, clear, grambot.origin()).statusCode()).isEqualTo(403);
        assertThat(post(password, clearForm("room-4711-with-a-long-id", token + "x"), grambot.origin()).statusCode())
                .isEqualTo(403);
        HttpResponse<String> foreign = post(password, clearForm("room-4711-with-a-long-id", token),
                "http://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("another site");
        assertThat(current).exists();
        // and without the login nothing at all
        assertThat(post(null, clearForm("room-4711-with-a-long-id", token), grambot.origin()).statusCode())
                .isEqualTo(401);

        // the page's own form: deleted, then back to the page, which says so and lists it no more
        HttpResponse<String> cleared = post(password, clearForm("room-4711-with-a-long-id", token), grambot.origin());
        assertThat(cleared.statusCode()).isEqualTo(303);
        assertThat(cleared.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith(PAGE + "#bot-console"));
        assertThat(current).doesNotExist();
        String after = grambot.get(PAGE, password).body();
        assertThat(after).contains("Cleared the history of conversation " + key("room-4711-with-a-long-id")
                .substring(0, 8)).doesNotContain("room-4711-with-a-long-id");

        // an older file without header is cleared by its key too; the token stays valid for the session
        assertThat(post(password, clearForm("room-from-before", token(after)), null).statusCode()).isEqualTo(303);
        assertThat(older).doesNotExist();
        assertThat(evil).exists();
        assertThat(grambot.get(PAGE, password).body()).doesNotContain("older file").contains("&lt;img src=x");
    }

    private Path seed(String conversationId, String content) throws Exception {
        Path file = conversations.resolve(key(conversationId) + ".json");
        Files.writeString(file, content);
        return file;
    }

    private Map<String, String> clearForm(String conversationId, String token) throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("action", "clear");
        form.put("bot", "console");
        form.put("connector", "webchat");
        form.put("conversation", key(conversationId));
        if (token != null) {
            form.put("token", token);
        }
        return form;
    }

    private HttpResponse<String> post(String password, Map<String, String> form, String origin) throws Exception {
        String encoded = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder request = grambot.request(PAGE, password)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return grambot.send(request);
    }

    private static String token(String page) {
        Matcher matcher = TOKEN.matcher(page);
        assertThat(matcher.find()).as("the page has a form with a token").isTrue();
        return matcher.group(1);
    }

    /** The history file's name: the first 16 bytes of the SHA-256 of the conversation id, in hex. */
    private static String key(String conversationId) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(conversationId.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    private static String message(String role, String text) {
        return "{\"role\":\"" + role + "\",\"text\":" + json(text) + ",\"toolCalls\":[],\"toolCallId\":null}";
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
