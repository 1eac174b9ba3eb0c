package io.grambot.runtime.browser;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Headless Chromium driven through ChromeDriver's W3C WebDriver protocol (plain JSON over HTTP): the few commands a
 * page test needs, without a browser-automation library and its downloads. Chromium and ChromeDriver are Debian's
 * packages, installed by src/test/browser/install-chromium.sh.
 */
final class WebDriver implements AutoCloseable {

    /** The key under which WebDriver returns an element reference. */
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process driver;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String session;

    WebDriver(Path profile) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        driver = new ProcessBuilder("chromedriver", "--port=" + port).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        base = URI.create("http://127.0.0.1:" + port + "/");
        awaitDriver();
        // the flags keep Chromium from reaching for the network (updates, sync, safe browsing) on a closed machine
        List<String> args = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath());
        JsonNode created = command("POST", "session", Map.of("capabilities", Map.of("alwaysMatch", Map.of(
                "browserName", "chrome", "goog:chromeOptions", Map.of("binary", chromium(), "args", args)))));
        session = created.path("sessionId").asText();
    }

    /**
     * Sends HTTP basic credentials with every request of this browser (through the DevTools protocol, which
     * ChromeDriver exposes): the web console's login, without a credentials dialog or credentials in URLs.
     */
    void basicAuth(String user, String password) throws Exception {
        cdp("Network.enable", Map.of());
        cdp("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", "Basic " + java.util.Base64
                .getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
    }

    /** A Chrome DevTools protocol command, run by ChromeDriver in the current page's target. */
    JsonNode cdp(String command, Map<String, ?> params) throws Exception {
        return command("POST", "session/" + session + "/goog/cdp/execute", Map.of("cmd", command, "params", params));
    }

    void windowSize(int width, int height) throws Exception {
        command("POST", "session/" + session + "/window/rect", Map.of("width", width, "height", height));
    }

    /** A PNG of what the window shows. */
    byte[] screenshot() throws Exception {
        return java.util.Base64.getDecoder().decode(command("GET", "session/" + session + "/screenshot", null).asText());
    }

    /** The visible text of the first element the selector finds. */
    String text(String css) throws Exception {
        return command("GET", "session/" + session + "/element/" + find(css) + "/text", null).asText();
    }

    void open(String url) throws Exception {
        command("POST", "session/" + session + "/url", Map.of("url", url));
    }

    String find(String css) throws Exception {
        return command("POST", "session/" + session + "/element", Map.of("using", "css selector", "value", css))
                .path(ELEMENT).asText();
    }

    void type(String element, String text) throws Exception {
        command("POST", "session/" + session + "/element/" + element + "/value", Map.of("text", text));
    }

    void click(String element) throws Exception {
        command("POST", "session/" + session + "/element/" + element + "/click", Map.of());
    }

    /** Runs a script in the page and returns what it returned, as JSON. */
    JsonNode script(String script) throws Exception {
        return command("POST", "session/" + session + "/execute/sync", Map.of("script", script, "args", List.of()));
    }

    @Override
    public void close() throws Exception {
        try {
            if (session != null) {
                command("DELETE", "session/" + session, null);
            }
        } finally {
            driver.destroy();
            if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        }
    }

    private JsonNode command(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(response.body()).path("value");
        if (response.statusCode() != 200) {
            throw new IOException("WebDriver " + method + " /" + path + " answered " + response.statusCode() + ": "
                    + value.path("error").asText() + " " + value.path("message").asText());
        }
        return value;
    }

    private void awaitDriver() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if (command("GET", "status", null).path("ready").asBoolean()) {
                    return;
                }
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("chromedriver did not answer within 20 s", notYet);
                }
            }
            if (!driver.isAlive()) {
                throw new IOException("chromedriver exited with " + driver.exitValue());
            }
            Thread.sleep(50); // polling interval of a bounded wait for the driver's port
        }
    }

    private static String chromium() {
        for (String candidate : new String[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }) {
            if (new java.io.File(candidate).canExecute()) {
                return candidate;
            }
        }
        throw new IllegalStateException("no Chromium at /usr/bin/chromium: run src/test/browser/install-chromium.sh");
    }
}
