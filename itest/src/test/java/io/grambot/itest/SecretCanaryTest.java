package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.grambot.api.PluginEventHandler;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginRuntime;

/**
 * A canary value in every secret setting of every built-in plugin (written into {@code etc/} files, as a user
 * does), used against the local fakes for successes and, through {@link Faults}, for 401, 429 and 500 answers
 * that quote the credential back: connection tests, bot turns over Telegram (polling and webhook), Anthropic,
 * OpenAI, Brave and gpt-image, the webhook trigger, an action. The fakes must have received each canary; then no
 * canary may appear in the log, the audit log, the event journal, the shell's outputs, the instances' states and
 * connection test results, or any file of the data directory but {@code secrets.json} and of {@code etc/}.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class SecretCanaryTest {

    /** What every canary contains: the scans look for this, so a partly shown key is caught too. */
    private static final String MARK = "7f3a9c";
    private static final String TG_TOKEN = "4711:canary-" + MARK + "-tg-polling";
    private static final String TG_HOOK_TOKEN = "4712:canary-" + MARK + "-tg-webhook";
    private static final String TG_HOOK_SECRET = "canary-" + MARK + "-tg-hook-secret";
    private static final String ANTHROPIC_KEY = "sk-ant-canary-" + MARK + "-anthropic";
    private static final String ANTHROPIC_OAUTH = "canary-" + MARK + "-anthropic-oauth";
    private static final String OPENAI_KEY = "sk-canary-" + MARK + "-openai";
    private static final String OPENAI_ACCESS = "canary-" + MARK + "-openai-access";
    private static final String BRAVE_KEY = "BSA-canary-" + MARK + "-brave";
    private static final String IMAGES_KEY = "sk-canary-" + MARK + "-gpt-image";
    private static final String BANANA_KEY = "AIza-canary-" + MARK + "-nanobanana";
    private static final String HOOK_SECRET = "canary-" + MARK + "-webhooks-only-setting";
    private static final String CALLS_SECRET = "canary-" + MARK + "-webhooks-calls";
    private static final long CHAT = 3131;
    private static final List<String> INSTANCES = List.of("cn-tg", "cn-hook", "cn-claude", "cn-oauth", "cn-openai",
            "cn-codex", "cn-web", "cn-painter", "cn-banana", "cn-hooks", "cn-calls", "cn-lost");

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    PluginRuntime runtime;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private final Map<Path, List<String>> etcLines = new LinkedHashMap<>();
    private final List<Configuration> bots = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void tearDown() throws Exception {
        for (Configuration bot : bots) {
            bot.delete();
        }
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
        for (String instance : INSTANCES) {
            Eventually.until("instance '" + instance + "' is gone", () -> runtime.instance(instance).isEmpty());
        }
        Eventually.gone(context, PluginEventHandler.class, "(|(service.pid=grambot.bot~cn-bot)"
                + "(service.pid=grambot.bot~cn-hookbot))");
        for (AutoCloseable fake : closing) {
            fake.close();
        }
    }

    @Test
    void noCanaryLeavesTheSecretsStoreWhateverTheServicesAnswer() throws Exception {
        URI base = WebChatClient.endpoint(context);
        FakeTelegram telegram = fake(new FakeTelegram(context, "/cn-tg", TG_TOKEN));
        FakeTelegram hookTelegram = fake(new FakeTelegram(context, "/cn-tg-hook", TG_HOOK_TOKEN));
        FakeAnthropic anthropic = fake(new FakeAnthropic(context, "/cn-claude", ANTHROPIC_KEY, "web_search:query",
                "generate_image:prompt"));
        FakeOpenAi openai = fake(new FakeOpenAi(context, "/cn-openai", "web_search"));
        FakeBrave brave = fake(new FakeBrave(context, "/cn-brave", BRAVE_KEY));
        FakeOpenAiImages images = fake(new FakeOpenAiImages(context, "/cn-images", IMAGES_KEY));
        // the nanobanana and http_request targets: something to stand behind the faults
        fake(new WebhookFlowTest.OrderService(context, "/cn-banana"));
        fake(new WebhookFlowTest.OrderService(context, "/cn-orders"));
        Faults faults = fake(new Faults(context, "/cn-tg/*", "/cn-claude/*", "/cn-openai/*", "/cn-brave/*",
                "/cn-images/*", "/cn-banana/*", "/cn-orders/*"));

        try (LogCapture logs = new LogCapture(context)) {
            String tgBase = base.resolve("/cn-tg").toString();
            etc("telegram-cn-tg.cfg", "baseUrl=" + tgBase, "botToken=" + TG_TOKEN, "pollTimeoutSeconds=1",
                    "typing=false", "maxRetries=0");
            etc("telegram-cn-hook.cfg", "baseUrl=" + base.resolve("/cn-tg-hook"), "botToken=" + TG_HOOK_TOKEN,
                    "mode=webhook", "publicUrl=https://bot.example.org/telegram/cn-hook",
                    "webhookPath=/telegram/cn-hook", "webhookSecret=" + TG_HOOK_SECRET, "typing=false");
            etc("anthropic-cn-claude.cfg", "baseUrl=" + base.resolve("/cn-claude"), "model=claude-fake-1",
                    "apiKey=" + ANTHROPIC_KEY, "maxRetries=0");
            etc("anthropic-cn-oauth.cfg", "baseUrl=" + base.resolve("/cn-claude"), "authToken=" + ANTHROPIC_OAUTH,
                    "maxRetries=0");
            etc("openai.codex-cn-openai.cfg", "baseUrl=" + base.resolve("/cn-openai/v1"), "model=gpt-fake",
                    "apiKey=" + OPENAI_KEY, "maxRetries=0");
            etc("openai.codex-cn-codex.cfg", "baseUrl=" + base.resolve("/cn-openai/codex"), "api=responses",
                    "accountId=acct-1", "accessToken=" + OPENAI_ACCESS, "maxRetries=0");
            etc("brave.search-cn-web.cfg", "baseUrl=" + base.resolve("/cn-brave"), "apiKey=" + BRAVE_KEY,
                    "maxRetries=0");
            etc("gpt.image-cn-painter.cfg", "baseUrl=" + base.resolve("/cn-images/v1"), "apiKey=" + IMAGES_KEY,
                    "maxRetries=0");
            etc("nanobanana-cn-banana.cfg", "baseUrl=" + base.resolve("/cn-banana"), "apiKey=" + BANANA_KEY,
                    "maxRetries=0");
            // the only setting of this instance is its secret: the file must keep a marker, not be left empty
            etc("webhooks-cn-hooks.cfg", "secret=" + HOOK_SECRET);
            etc("webhooks-cn-calls.cfg", "path=/hooks/cn-calls", "secret=" + CALLS_SECRET, "allowedHosts="
                    + base.getHost(), "maxAttempts=2");
            for (String instance : INSTANCES.subList(0, 11)) {
                Instances.awaitState(runtime, instance, InstanceState.ACTIVE);
            }
            // ACTIVE is not yet settled: moving the secrets out is one more update, which the component sees a
            // moment later (under load, a connection test ran with an instance's settings or secret not yet in)
            for (Path file : List.copyOf(files)) {
                awaitSettled(file);
            }
            Path onlySecret = Fixtures.etcDir(context).resolve("webhooks-cn-hooks.cfg");
            Eventually.until("every secret left the etc/ files", () -> files.stream()
                    .noneMatch(file -> read(file).contains(MARK)));
            Eventually.until("a file whose only setting was a secret keeps a marker line, not 0 bytes",
                    () -> read(onlySecret).strip().matches("secret\\s*=\\s*\\*{8}"));
            // a marker whose secret the store does not hold (a copied file, a lost secrets.json) fails the instance
            etc("webhooks-cn-lost.cfg", "secret=********");
            assertThat(Instances.awaitState(runtime, "cn-lost", InstanceState.FAILED).reason()).isEqualTo(
                    "instance 'cn-lost' of plugin 'webhooks': secret setting 'secret' is marked as stored (********) "
                            + "but the secrets store holds no value for it; enter it again (the console, or "
                            + "'secret=<value>' in the file)");

            bots.add(Instances.create(configAdmin, "grambot.bot", "cn-bot", Map.of("connectors",
                    new String[] { "cn-tg" }, "provider", "cn-claude", "tools", new String[] { "web_search" },
                    "imageGenerator", "cn-painter")));
            bots.add(Instances.create(configAdmin, "grambot.bot", "cn-hookbot", Map.of("connectors",
                    new String[] { "cn-hook" }, "provider", "cn-openai", "tools", new String[] { "web_search" })));
            Eventually.botListening(context, "cn-bot");
            Eventually.botListening(context, "cn-hookbot");

            List<String> outputs = new ArrayList<>();
            // successes: connection tests, a bot turn over each Telegram instance, the webhook trigger, an action
            for (String instance : INSTANCES.subList(0, 11)) {
                // the test of an instance with a base URL must reach the fakes, not the service's default host: a
                // component can still run with an older revision of its settings for a moment (see awaitSettled)
                String[] last = new String[1];
                try {
                    Eventually.until("the connection test of '" + instance + "' reaches " + base.getAuthority(),
                            () -> {
                                last[0] = Shell.call(context, "test", instance);
                                return !last[0].contains("://") || last[0].contains(base.getAuthority());
                            });
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; its last test said: " + last[0] + "; its state: "
                            + runtime.instance(instance) + "; its services: " + java.util.Arrays.toString(context
                                    .getServiceReferences((String) null, Instances.filter(instance))), e);
                }
                outputs.add(last[0]);
            }
            telegram.receive(CHAT, "lighthouses");
            try {
                Eventually.until("the polling bot's picture reached Telegram", () -> !telegram.uploads.isEmpty());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; telegram saw " + telegram.methods + ", anthropic "
                        + anthropic.requests.size() + " requests, brave " + brave.queries + ", images "
                        + images.requests.size() + "; log: " + logs.lines().stream().filter(l -> !l.startsWith("DEBUG"))
                        .toList(), e);
            }
            assertThat(webhook(TG_HOOK_SECRET + "x", update(900, "wrong secret")).statusCode()).isEqualTo(403);
            assertThat(webhook(null, update(901, "no secret")).statusCode()).isEqualTo(403);
            assertThat(webhook(TG_HOOK_SECRET, update(902, "beacons")).statusCode()).isEqualTo(200);
            Eventually.until("the webhook bot answered", () -> !hookTelegram.textsTo(CHAT).isEmpty());
            assertThat(hookTelegram.textsTo(CHAT)).as(() -> "the webhook bot's answer; the OpenAI fake saw "
                    + openai.authorizations.size() + " requests, the faults " + faults.seen + "; the log: "
                    + logs.lines().stream().filter(l -> !l.startsWith("DEBUG") || l.contains("cn-openai")
                            || l.contains("cn-hookbot")).toList())
                    .singleElement().asString().startsWith("the tool said: ");
            assertThat(hook("/hooks/cn-hooks", "X-Webhook-Secret", HOOK_SECRET + "x").statusCode()).isEqualTo(401);
            assertThat(hook("/hooks/cn-hooks", "X-Webhook-Secret", HOOK_SECRET).statusCode()).isEqualTo(202);
            String call = "{\"url\":\"" + base.resolve("/cn-orders/x?key=" + CALLS_SECRET) + "\",\"headers\":"
                    + "{\"Authorization\":\"Bearer " + CALLS_SECRET + "\"},\"body\":{\"apiKey\":\"" + CALLS_SECRET + "\"}}";
            String[] invoked = new String[1];
            Eventually.until("the action of 'cn-calls' may call " + base.getHost(), () -> {
                invoked[0] = Shell.call(context, "invoke", "cn-calls", "http_request", call);
                return !invoked[0].contains("may call no host");
            });
            outputs.add(invoked[0]);

            // failures: every service answers 401, 429 and 500 quoting the credential back
            for (int status : new int[] { 401, 429, 500 }) {
                faults.failWith(status);
                for (String instance : INSTANCES) {
                    outputs.add(Shell.call(context, "test", instance));
                }
                outputs.add(Shell.call(context, "invoke", "cn-calls", "http_request", "{\"url\":\""
                        + base.resolve("/cn-orders/" + status) + "\",\"headers\":{\"Authorization\":\"Bearer " + CALLS_SECRET
                        + "\"}}"));
                long before = count(faults, "Bearer " + OPENAI_KEY);
                assertThat(webhook(TG_HOOK_SECRET, update(910 + status, "fails " + status)).statusCode())
                        .isEqualTo(200);
                Eventually.until("the webhook bot's turn reached the failing OpenAI fake",
                        () -> count(faults, "Bearer " + OPENAI_KEY) > before);
                if (status == 401) {
                    Eventually.until("the polling instance met the failure", () -> faults.seen.stream()
                            .anyMatch(seen -> seen.contains("/getUpdates")));
                }
            }
            faults.failWith(0);
            Eventually.until("the webhook bot told the person about each failure",
                    () -> hookTelegram.textsTo(CHAT).size() >= 4);

            // the canaries reached the services: each fake checks its own and refuses any other
            assertThat(telegram.methods).contains("getMe", "getUpdates", "sendPhoto");
            assertThat(hookTelegram.methods).contains("setWebhook", "sendMessage");
            assertThat(anthropic.requests).isNotEmpty();
            assertThat(brave.queries).isNotEmpty();
            assertThat(images.requests).isNotEmpty();
            assertThat(openai.authorizations).contains("Bearer " + OPENAI_KEY);
            assertThat(faults.seen).as(() -> "what the faults saw; the shell's outputs: " + outputs)
                    .contains("Bearer " + ANTHROPIC_OAUTH, "Bearer " + OPENAI_ACCESS, BANANA_KEY,
                    "Bearer " + IMAGES_KEY, BRAVE_KEY, ANTHROPIC_KEY, "Bearer " + CALLS_SECRET)
                    .anyMatch(seen -> seen.contains(TG_TOKEN));

            // where a canary must not be
            outputs.add(Shell.call(context, "instances"));
            outputs.add(Shell.call(context, "events", 100));
            outputs.add(Shell.call(context, "audit", "-", "-", 100));
            outputs.add(Shell.call(context, "bots"));
            outputs.add(Shell.call(context, "health"));
            outputs.add(Shell.call(context, "actions"));
            Map<String, String> places = new LinkedHashMap<>();
            places.put("shell output", String.join("\n", outputs));
            places.put("instance states", runtime.instances().toString());
            for (String instance : INSTANCES) {
                places.put("last connection test of " + instance,
                        String.valueOf(runtime.lastConnectionTest(instance)));
            }
            places.put("log", String.join("\n", logs.lines()));
            Path data = Fixtures.dataDir(context);
            int scannedFiles = scanTree(data, places, data.resolve("secrets.json"));
            scannedFiles += scanTree(Fixtures.etcDir(context), places, null);

            assertThat(outputs).anyMatch(out -> out.startsWith("failed: ") && out.contains("401"));
            assertThat(outputs).anyMatch(out -> out.startsWith("failed: ") && out.contains("500"));
            assertThat(places.get("log")).contains("moved secret settings [botToken] of instance 'cn-tg'");
            assertThat(read(data.resolve("secrets.json"))).contains(TG_TOKEN, HOOK_SECRET, BANANA_KEY);
            List<String> leaks = places.entrySet().stream().filter(e -> e.getValue().contains(MARK))
                    .map(e -> e.getKey() + ": …" + around(e.getValue(), MARK) + "…").toList();
            System.out.printf("SecretCanaryTest: 12 canaries in 11 instances of 8 plugins; %d places checked "
                    + "(%d files), %d shell outputs, %d log entries; fakes saw %d failing requests%n", places.size(),
                    scannedFiles, outputs.size(), logs.lines().size(), faults.seen.size());
            assertThat(leaks).as("places where a canary appeared").isEmpty();
        }
    }

    /**
     * Waits until the core holds every secret of an etc/ file and SCR's component of its instance has each of its
     * other settings (the file's {@code factoryPid-instance.cfg} name gives the configuration).
     */
    private void awaitSettled(Path file) throws Exception {
        String name = file.getFileName().toString().replaceFirst("\\.cfg$", "");
        String instance = name.substring(name.indexOf('-') + 1);
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> secretKeys = new ArrayList<>();
        for (String line : etcLines.getOrDefault(file, List.of())) {
            String key = line.substring(0, line.indexOf('='));
            String value = line.substring(line.indexOf('=') + 1);
            if (value.contains(MARK)) {
                secretKeys.add(key);
            } else {
                settings.put(key, value);
            }
        }
        // the services the instance's component registered carry its configuration's properties (DS propagates
        // them): a component still running with an older revision shows it there
        Eventually.until("instance '" + instance + "' has its secrets " + secretKeys + " and its services its "
                + "settings " + settings.keySet(), () -> runtime.instance(instance).map(status -> status.secretKeys()
                        .containsAll(secretKeys)).orElse(false) && servicesCarry(instance, settings));
    }

    private boolean servicesCarry(String instance, Map<String, String> settings) {
        ServiceReference<?>[] services;
        try {
            services = context.getServiceReferences((String) null, "(&" + Instances.filter(instance)
                    + "(component.name=*))");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        return services != null && java.util.Arrays.stream(services).allMatch(reference -> settings.entrySet()
                .stream().allMatch(e -> e.getValue().equals(String.valueOf(reference.getProperty(e.getKey())))));
    }

    private static long count(Faults faults, String value) {
        return faults.seen.stream().filter(value::equals).count();
    }

    private <T extends AutoCloseable> T fake(T fake) {
        closing.add(0, fake);
        return fake;
    }

    private void etc(String name, String... lines) throws IOException {
        Path file = Files.createDirectories(Fixtures.etcDir(context)).resolve(name);
        etcLines.put(file, List.of(lines));
        Path temporary = file.resolveSibling(name + ".tmp-write");
        Files.writeString(temporary, String.join("\n", lines) + "\n");
        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        files.add(file);
    }

    private static String update(long id, String text) {
        return "{\"update_id\":" + id + ",\"message\":{\"message_id\":" + id + ",\"date\":1700000000,\"text\":\""
                + text + "\",\"from\":{\"id\":" + CHAT + ",\"is_bot\":false,\"first_name\":\"Ada\"},\"chat\":{\"id\":"
                + CHAT + ",\"type\":\"private\"}}}";
    }

    private HttpResponse<String> webhook(String secret, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(WebChatClient.endpoint(context)
                .resolve("/telegram/cn-hook")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> hook(String path, String header, String value) throws Exception {
        return http.send(HttpRequest.newBuilder(WebChatClient.endpoint(context).resolve(path))
                .header("Content-Type", "application/json").header(header, value)
                .POST(HttpRequest.BodyPublishers.ofString("{\"order\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Adds every regular file below {@code root} (but {@code except}) to the places; returns how many. */
    private static int scanTree(Path root, Map<String, String> places, Path except) throws IOException {
        int count = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).filter(f -> !f.equals(except)).toList()) {
                try {
                    places.put(root.relativize(file).toString(), new String(Files.readAllBytes(file),
                            StandardCharsets.ISO_8859_1));
                    count++;
                } catch (IOException vanished) {
                    // a temporary file renamed or a journal segment removed while walking
                }
            }
        }
        return count;
    }

    private static String around(String text, String mark) {
        int at = text.indexOf(mark);
        return text.substring(Math.max(0, at - 80), Math.min(text.length(), at + 40));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
