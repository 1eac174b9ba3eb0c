package io.grambot.runtime.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.runtime.launcher.RunningDistribution;

/**
 * The web console's Grambot page in the real distribution, started once for all of these: the console and the page
 * need the login; in headless Chromium a person logs in, creates a webhooks instance through the page's form, sees
 * it become ACTIVE, runs Test connection and sees the result, and disables it (a screenshot of the page is saved
 * under target/screenshots/, and one of every failure); and no stored secret (one from an etc/ file, one from the
 * page's form, one entered on the Configuration page) appears in any console response.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrambotPageBrowserIT {

    private static final String PAGE = "/system/console/grambot";
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final Pattern TOKEN = Pattern.compile("name=\"token\" value=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Unique per run, so that a hit can only come from this run's secrets. */
    private final String fileSecret = "BSA-file-" + UUID.randomUUID();

    private Path work;
    private RunningDistribution grambot;
    private String password;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        this.work = work;
        grambot = new RunningDistribution(work);
        Files.createDirectories(work.resolve("etc"));
        // a secret written into an instance file: Grambot moves it into the secrets store at once
        Files.writeString(work.resolve("etc/brave.search-web.cfg"), "apiKey=" + fileSecret + "\n");
        grambot.start();
        password = grambot.awaitPassword();
        grambot.awaitResponse(PAGE, password, r -> r.statusCode() == 200 && r.body().contains("id=\"instance-web\""));
    }

    @AfterAll
    void stop() throws Exception {
        grambot.close();
    }

    @Test
    @Order(1)
    void theConsoleTheGrambotPageAndItsPostsNeedTheLogin() throws Exception {
        for (String path : List.of("/system/console", PAGE, "/system/console/configMgr",
                "/system/console/configMgr/brave.search~web.json", "/system/console/bundles.json",
                "/system/console/healthcheck", "/system/console/status-Configurations.txt")) {
            HttpResponse<String> anonymous = grambot.get(path, null);
            assertThat(anonymous.statusCode()).as("GET " + path + " without login").isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(
                    value -> assertThat(value).startsWith("Basic"));
            assertThat(grambot.get(path, "wrong-" + password).statusCode()).as("GET " + path + ", wrong password")
                    .isEqualTo(401);
            assertThat(grambot.get(path, password).statusCode()).as("GET " + path + " logged in").isIn(200, 302);
        }
        Map<String, String> create = Map.of("action", "create", "plugin", "webhooks", "instance", "sneaky",
                "s.secret", "x", "token", "guessed");
        assertThat(post(PAGE, null, create).statusCode()).isEqualTo(401);
        assertThat(post(PAGE, null, Map.of("action", "disable", "instance", "web")).statusCode()).isEqualTo(401);
        assertThat(post("/system/console/configMgr/brave.search~web", null, Map.of("apply", "true", "action",
                "ajaxConfigManager", "propertylist", "toolName", "toolName", "hacked")).statusCode()).isEqualTo(401);
        // logged in, but without the page's token: refused as well
        assertThat(post(PAGE, password, create).statusCode()).isEqualTo(403);
        assertThat(grambot.get(PAGE, password).body()).doesNotContain("sneaky")
                .contains("id=\"instance-web\" data-state=\"ACTIVE\"");
    }

    @Test
    @Order(2)
    void aPersonCreatesAWebhooksInstanceInTheBrowserSeesItActiveTestsItAndDisablesIt(TestInfo test)
            throws Exception {
        String secret = "hook-secret-" + UUID.randomUUID();
        String url = grambot.origin() + PAGE;
        try (WebDriver browser = new WebDriver(work.resolve("chromium-profile"))) {
            try {
                browser.windowSize(1400, 1200);
                browser.basicAuth("admin", password);
                browser.open(url);
                awaitScript(browser, "the Grambot page is shown", "return document.querySelector('#grambot-instances')"
                        + " !== null && document.querySelector('#new-webhooks') !== null");

                // the create form: generated from the plugin's settings, the secret a password input
                browser.click(browser.find("#new-webhooks summary"));
                assertThat(browser.script("return document.querySelector('#grambot-new-webhooks-secret').type")
                        .asText()).isEqualTo("password");
                assertThat(browser.script("return document.querySelector('#grambot-new-webhooks-signature')"
                        + ".tagName + ' ' + document.querySelector('#grambot-new-webhooks-signature').value")
                        .asText()).isEqualTo("SELECT header");
                browser.type(browser.find("#grambot-new-webhooks-instance"), "hooks1");
                browser.type(browser.find("#grambot-new-webhooks-secret"), secret);
                browser.click(browser.find("#new-webhooks button[type=submit]"));
                awaitScript(browser, "the page says the instance was created", "const f = document.querySelector("
                        + "'#grambot-flash'); return f !== null && f.textContent.includes(\"Created instance "
                        + "'hooks1' of plugin 'webhooks'\")");

                // it becomes ACTIVE (the page shows the state as it is when loaded: reload until it is)
                awaitState(browser, url, "hooks1", "ACTIVE");
                assertThat(browser.text("#instance-hooks1 td:nth-child(5)")).contains("Action", "Trigger");

                // Test connection: the result is on the page, and the health summary counts it
                browser.click(browser.find("#instance-hooks1 button[value=test]"));
                awaitScript(browser, "the test result is shown", "const r = document.querySelector("
                        + "'#instance-hooks1 .grambot-test-result'); return r !== null && r.textContent.startsWith('ok')");
                assertThat(browser.text("#grambot-flash")).isEqualTo("Test connection of 'hooks1': ok — no test URL "
                        + "configured; the webhook is served at /hooks/hooks1");
                assertThat(browser.text("#instance-hooks1 .grambot-test-result")).startsWith("ok: no test URL");
                assertThat(browser.text("tr[data-check='Grambot connections']")).contains(
                        "1 running instance passed the last connection test");
                browser.script("window.scrollTo(0, 0)");
                save(browser, "grambot-page.png");

                // the secret typed into the form is the one the instance checks, and the page does not show it
                assertThat(webhook("hooks1", secret).statusCode()).isEqualTo(202);
                assertThat(webhook("hooks1", "wrong").statusCode()).isEqualTo(401);
                assertThat(browser.script("return document.documentElement.outerHTML").asText())
                        .doesNotContain(secret);

                // Disable: DISABLED on the page, its webhook gone
                browser.click(browser.find("#instance-hooks1 button[value=disable]"));
                awaitState(browser, url, "hooks1", "DISABLED");
                assertThat(browser.find("#instance-hooks1 button[value=enable]")).isNotEmpty();
                assertThat(webhook("hooks1", secret).statusCode()).isEqualTo(404);
            } catch (Throwable failure) {
                save(browser, test.getTestMethod().orElseThrow().getName() + "-failure.png");
                throw failure;
            }
        }
    }

    @Test
    @Order(3)
    void noStoredSecretAppearsInAnyConsoleResponse() throws Exception {
        String formSecret = "form-secret-" + UUID.randomUUID();
        String consoleSecret = "BSA-console-" + UUID.randomUUID();
        Path secrets = grambot.data().resolve("secrets.json");
        grambot.awaitFile(secrets, content -> content.contains(fileSecret));
        grambot.awaitFile(work.resolve("etc/brave.search-web.cfg"), content -> !content.contains(fileSecret));

        // a secret from the Grambot page's form (as the browser posts it)
        String token = token(grambot.get(PAGE, password).body());
        HttpResponse<String> created = post(PAGE, password, Map.of("action", "create", "token", token, "plugin",
                "webhooks", "instance", "hooks-crawl", "s.enabled", "true", "s.secret", formSecret));
        assertThat(created.statusCode()).isEqualTo(303);
        grambot.awaitResponse(PAGE, password, r -> r.body().contains("id=\"instance-hooks-crawl\" data-state=\"ACTIVE\""));
        assertThat(Files.readString(secrets)).contains(formSecret);

        // the Configuration page's form sends a secret field back unchanged ("unmodified", or Grambot's own mask):
        // the stored secret stays
        for (String unchanged : List.of("unmodified", "********")) {
            assertThat(post("/system/console/configMgr/brave.search~web", password, Map.of("apply", "true", "action",
                    "ajaxConfigManager", "propertylist", "apiKey,toolName", "apiKey", unchanged, "toolName",
                    "web_search")).statusCode()).isIn(200, 302);
            grambot.await("the configuration has no apiKey", () -> config("brave.search~web").path("properties")
                    .path("apiKey").path("is_set").asBoolean() ? Optional.empty() : Optional.of(true));
            assertThat(Files.readString(secrets)).as("after '" + unchanged + "'").contains(fileSecret);
        }
        // and a new one typed into it replaces the stored one
        assertThat(post("/system/console/configMgr/brave.search~web", password, Map.of("apply", "true", "action",
                "ajaxConfigManager", "propertylist", "apiKey,toolName", "apiKey", consoleSecret, "toolName",
                "web_search")).statusCode()).isIn(200, 302);
        grambot.awaitFile(secrets, content -> content.contains(consoleSecret) && !content.contains(fileSecret));

        // crawl what the console shows: every page it links to, and the JSON and text views behind them
        Map<String, HttpResponse<String>> visited = crawl();
        List<String> leaks = new ArrayList<>();
        visited.forEach((path, response) -> {
            for (String secret : List.of(fileSecret, formSecret, consoleSecret)) {
                if (response.body().contains(secret)) {
                    leaks.add(path + " shows " + secret);
                }
            }
        });
        Set<String> shown = visited.entrySet().stream().filter(e -> e.getValue().statusCode() == 200)
                .map(Map.Entry::getKey).collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(shown).hasSizeGreaterThan(60).contains(PAGE, "/system/console/configMgr",
                "/system/console/configMgr/brave.search~web.json", "/system/console/configMgr/webhooks~hooks-crawl.json",
                "/system/console/services", "/system/console/bundles", "/system/console/status-Configurations.txt",
                "/system/console/components", "/system/console/healthcheck");
        assertThat(leaks).isEmpty();
        // the secrets are there, just not shown: the instance keeps its key (the configuration is without it)
        assertThat(Files.readString(secrets)).contains(formSecret, consoleSecret);
        assertThat(config("brave.search~web").path("properties").path("apiKey").path("is_set").asBoolean()).isFalse();
    }

    // --- helpers

    /** GETs the console's pages breadth-first from the Grambot page, following links inside the console. */
    private Map<String, HttpResponse<String>> crawl() throws Exception {
        Map<String, HttpResponse<String>> visited = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(PAGE, "/system/console/configMgr",
                "/system/console/configMgr/brave.search~web", "/system/console/configMgr/brave.search~web.json",
                "/system/console/configMgr/webhooks~hooks-crawl", "/system/console/configMgr/webhooks~hooks-crawl.json",
                "/system/console/configMgr/webhooks~hooks1.json", "/system/console/services.json",
                "/system/console/bundles.json", "/system/console/components.json",
                "/system/console/healthcheck?tags=*"));
        // the console answers with an HTML error page for a moment while one of its plugins is re-registered (a
        // configuration the test just saved restarts its component): wait for the JSON
        JsonNode bundles = JSON.readTree(grambot.awaitResponse("/system/console/bundles.json", password,
                r -> r.statusCode() == 200 && r.body().startsWith("{")).body()).path("data");
        for (JsonNode bundle : bundles) {
            queue.add("/system/console/bundles/" + bundle.path("id").asLong() + ".json");
        }
        JsonNode services = JSON.readTree(grambot.awaitResponse("/system/console/services.json", password,
                r -> r.statusCode() == 200 && r.body().startsWith("{")).body()).path("data");
        for (JsonNode service : services) {
            queue.add("/system/console/services/" + service.path("id").asLong() + ".json");
        }
        Pattern link = Pattern.compile("href=\"(/system/console/[^\"#]*)\"");
        while (!queue.isEmpty() && visited.size() < 400) {
            String path = queue.poll();
            if (visited.containsKey(path)) {
                continue;
            }
            HttpResponse<String> response = grambot.get(path, password);
            visited.put(path, response);
            Matcher found = link.matcher(response.body());
            while (found.find()) {
                String next = found.group(1).replace("&amp;", "&").replace(" ", "%20");
                if (!next.contains("/res/") && !next.contains("logout") && !next.matches(".*\\.(css|js|png|gif)$")) {
                    queue.add(next);
                    if (next.contains("/status-") && !next.endsWith(".txt")) {
                        queue.add(next + ".txt");
                    }
                }
            }
        }
        return visited;
    }

    private JsonNode config(String pid) throws Exception {
        return JSON.readTree(grambot.get("/system/console/configMgr/" + pid + ".json", password).body());
    }

    private HttpResponse<String> webhook(String instance, String secret) throws Exception {
        return grambot.send(grambot.request("/hooks/" + instance, null).header("X-Webhook-Secret", secret)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"id\":1}")));
    }

    /**
     * A form POST as the browser sends it from the console's own page (its origin). Without a password it goes on
     * a connection of its own: the server answers 401 without reading the body and closes the connection, which a
     * shared client might otherwise reuse for the next request.
     */
    private HttpResponse<String> post(String path, String password, Map<String, String> form) throws Exception {
        String encoded = new LinkedHashMap<>(form).entrySet().stream().map(e -> URLEncoder.encode(e.getKey(),
                StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = grambot.request(path, password).header("Content-Type",
                "application/x-www-form-urlencoded").header("Origin", grambot.origin())
                .POST(HttpRequest.BodyPublishers.ofString(encoded)).build();
        if (password == null) {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        }
        return grambot.send(grambot.request(path, password).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", grambot.origin()).POST(HttpRequest.BodyPublishers.ofString(encoded)));
    }

    private void awaitState(WebDriver browser, String url, String instance, String state) throws Exception {
        grambot.await("instance '" + instance + "' is shown " + state, () -> {
            browser.open(url);
            String shown = browser.script("const row = document.querySelector('#instance-" + instance + "');"
                    + " return row === null ? 'absent' : row.dataset.state").asText();
            return shown.equals(state) ? Optional.of(shown) : Optional.empty();
        });
    }

    private void awaitScript(WebDriver browser, String what, String script) throws Exception {
        grambot.await(what, () -> browser.script(script).asBoolean() ? Optional.of(true) : Optional.empty());
    }

    private static void save(WebDriver browser, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), browser.screenshot());
    }

    private static String token(String page) {
        Matcher matcher = TOKEN.matcher(page);
        assertThat(matcher.find()).as("the page has a form with a token").isTrue();
        return matcher.group(1);
    }
}
