package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.action.Action;
import io.grambot.api.action.ActionCall;
import io.grambot.api.action.ActionInvoker;
import io.grambot.api.action.ActionOutcome;
import io.grambot.api.action.ActionOutcome.Status;
import io.grambot.api.action.AuditLog;
import io.grambot.api.action.AuditRecord;
import io.grambot.api.action.ContextEnricher;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.PluginRuntime;

/**
 * Actions in the framework: an action of a test plugin invoked through the core's invoker (success, retries,
 * failure), an audit record per attempt in the log and its file with the instance's secret masked, an action called
 * by a bot's model as a tool, a context enricher whose snippet the model sees, the {@code grambot:} shell commands,
 * and the connection test of an anthropic instance whose key its (fake) server refuses.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class ActionsTest {

    /** The core's grambot: commands (the flow commands are another service of the same scope). */
    private static final String COMMANDS = "(&(osgi.command.scope=grambot)(osgi.command.function=actions))";

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    ActionInvoker invoker;

    @InjectService
    AuditLog audit;

    @InjectService
    PluginRuntime runtime;

    private final List<Configuration> configurations = new ArrayList<>();
    private final List<String> instances = new ArrayList<>();
    private final List<AutoCloseable> fakes = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Configuration configuration : configurations) {
            configuration.delete();
        }
        for (String instance : instances) {
            Eventually.until("instance '" + instance + "' is gone", () -> runtime.instance(instance).isEmpty());
        }
        Eventually.gone(context, PluginEventHandler.class, "(service.factoryPid=grambot.bot)");
        for (AutoCloseable fake : fakes) {
            fake.close();
        }
    }

    @Test
    void anActionSucceedsAndLeavesOneAuditRecordInTheLogAndItsFile() throws Exception {
        action("act-ok", Map.of());

        ActionOutcome outcome = invoke("act-ok", "echo", Map.of("text", "hello"), "itest");

        assertThat(outcome.status()).as(outcome.text()).isEqualTo(Status.SUCCEEDED);
        assertThat(outcome.output()).isEqualTo(Map.of("echo", "hello", "attempt", 1));
        assertThat(outcome.text()).isEqualTo("echoed hello");
        List<AuditRecord> records = audit.query("act-ok", "echo", null, 10);
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.invokedBy()).isEqualTo("itest");
            assertThat(record.pluginId()).isEqualTo("testaction");
            assertThat(record.attempt()).isEqualTo(1);
            assertThat(record.outcome()).isEqualTo("succeeded");
            assertThat(record.payload()).isEqualTo(Map.of("text", "hello"));
        });
        assertThat(auditLines(records.get(0).invocationId())).singleElement().asString()
                .contains("\"instanceId\":\"act-ok\"", "\"outcome\":\"succeeded\"", "\"payload\":{\"text\":\"hello\"}");
    }

    @Test
    void aFlakyActionIsRetriedUntilItSucceedsWithARecordPerAttempt() throws Exception {
        action("act-flaky", Map.of("behaviour", "flaky", "failures", 2, "maxAttempts", 4));

        ActionOutcome outcome = invoke("act-flaky", "echo", Map.of("text", "again"), "itest");

        assertThat(outcome.status()).as(outcome.text()).isEqualTo(Status.SUCCEEDED);
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(outcome.output()).containsEntry("attempt", 3);
        List<AuditRecord> records = audit.query("act-flaky", null, null, 10);
        assertThat(records).extracting(AuditRecord::attempt, AuditRecord::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(3, "succeeded"), org.assertj.core.groups.Tuple.tuple(2, "retrying"),
                org.assertj.core.groups.Tuple.tuple(1, "retrying"));
        assertThat(records.get(2).error()).startsWith("busy, try again (again); attempt 2 in ");
        assertThat(records).extracting(AuditRecord::invocationId).containsOnly(records.get(0).invocationId());
        assertThat(auditLines(records.get(0).invocationId())).hasSize(3);
    }

    @Test
    void aFailingActionFailsWithItsReasonAndAnInvalidPayloadIsNotRun() throws Exception {
        action("act-fail", Map.of("behaviour", "fail"));

        ActionOutcome failed = invoke("act-fail", "echo", Map.of("text", "no"), "itest");
        ActionOutcome invalid = invoke("act-fail", "echo", Map.of("text", 42), "itest");
        ActionOutcome missing = invoke("act-fail", "nothing", Map.of(), "itest");

        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.text()).isEqualTo("action 'echo' of instance 'act-fail' failed: the remote end refuses no");
        assertThat(invalid.status()).isEqualTo(Status.INVALID);
        assertThat(invalid.problems()).containsExactly("text: integer found, string expected");
        assertThat(missing.status()).isEqualTo(Status.NOT_FOUND);
        assertThat(audit.query("act-fail", null, null, 10)).extracting(AuditRecord::attempt, AuditRecord::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "not_found"),
                        org.assertj.core.groups.Tuple.tuple(0, "invalid"),
                        org.assertj.core.groups.Tuple.tuple(1, "failed"));
    }

    @Test
    void aSecretOfAnInstancePutInThePayloadNeverReachesTheAuditFile() throws Exception {
        String secret = "sk-itest-audit-secret-8c41f2";
        action("act-secret", Map.of("apiKey", secret, "behaviour", "fail"));

        invoke("act-secret", "echo", Map.of("text", "the key is " + secret), "itest");
        invoke("act-secret", "echo", Map.of("text", secret), "itest");

        List<AuditRecord> records = audit.query("act-secret", null, null, 10);
        assertThat(records).hasSize(2);
        assertThat(records).allSatisfy(record -> {
            assertThat(record.payload()).isEqualTo(Map.of("text", "********"));
            assertThat(record.error()).doesNotContain(secret).contains("********");
        });
        for (Path file : auditFiles()) {
            assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).as(file.toString())
                    .doesNotContain(secret);
        }
        assertThat(String.join("\n", auditLines(records.get(0).invocationId()))).contains("********");
    }

    @Test
    void aBotsModelCallsAnActionAsATool() throws Exception {
        TestChatConnector chat = chatAndModel("chat-act", "model-act");
        action("act-bot", Map.of());
        bot("actor", "chat-act", "model-act", Map.of("actions", new String[] { "act-bot/echo" }));

        chat.receive("room-a", "m1", "call act-bot__echo hi from the model");

        OutgoingMessage reply = awaitReply(chat, "room-a", 1).get(0);
        assertThat(reply.text()).startsWith("tool said: echoed hi from the model\n{")
                .contains("\"echo\":\"hi from the model\"", "\"attempt\":1");
        assertThat(audit.query("act-bot", "echo", null, 1)).singleElement()
                .satisfies(record -> assertThat(record.invokedBy()).isEqualTo("bot:actor"));
    }

    @Test
    void theModelSeesTheSnippetOfAContextEnricherTheBotUses() throws Exception {
        TestChatConnector chat = chatAndModel("chat-enrich", "model-enrich");
        instance("testenricher", "enrich-1", Map.of("enricherName", "hours", "source", "handbook",
                "snippet", "We open at 9 and close at 17."));
        Eventually.service(context, ContextEnricher.class, Instances.filter("enrich-1"));
        bot("informed", "chat-enrich", "model-enrich", Map.of("enrichers", new String[] { "hours" },
                "systemPrompt", "Answer briefly."));

        chat.receive("room-e", "m1", "what context");

        String prompt = awaitReply(chat, "room-e", 1).get(0).text();
        assertThat(prompt).startsWith("Answer briefly.\n\n<context>\n").contains(
                "<snippet source=\"hours: handbook\">\nWe open at 9 and close at 17. (asked: what context)\n</snippet>")
                .endsWith("</context>");
    }

    @Test
    void theShellCommandsListInvokeShowTheAuditAndTestConnections() throws Exception {
        action("act-shell", Map.of());
        Object commands = context.getService(Eventually.reference(context, COMMANDS));
        ServiceReference<?> reference = Eventually.reference(context, COMMANDS);
        assertThat((String[]) reference.getProperty("osgi.command.function")).contains("actions", "invoke", "audit",
                "test");

        String actions = call(commands, "actions");
        String invoked = call(commands, "invoke", "act-shell", "echo", "{\"text\": \"from the shell\"}");
        String invalid = call(commands, "invoke", "act-shell", "echo", "{\"text\": 1}");
        String broken = call(commands, "invoke", "act-shell", "echo", "{text: oops");
        String shown = call(commands, "audit", "act-shell", "echo", 10);
        String tested = call(commands, "test", "act-shell");

        assertThat(actions).contains("act-shell/echo  (plugin testaction, may be a bot's tool)", "Echoes the text.");
        assertThat(invoked).startsWith("SUCCEEDED after 1 attempt (").contains("ms): echoed from the shell",
                "\"echo\":\"from the shell\"");
        assertThat(invalid).startsWith("INVALID after 0 attempts").contains("  - text: integer found, string expected");
        assertThat(broken).startsWith("The payload is not a JSON object:");
        assertThat(shown.lines().filter(line -> line.contains("shell  act-shell/echo")).toList()).hasSize(2);
        assertThat(shown.lines().findFirst().orElseThrow()).contains("act-shell/echo  #0 invalid");
        assertThat(tested).isEqualTo("failed: plugin 'testaction' offers no connection test");
    }

    @Test
    void theConnectionTestOfAnAnthropicInstanceWithAWrongKeyFailsWithAnthropicsMessageAndNoKey() throws Exception {
        String wrongKey = "sk-ant-itest-wrong-key-5521";
        fakes.add(new FakeAnthropic(context, "/fake-anthropic-401", "sk-ant-the-right-key"));
        instance("anthropic", "claude-401", Map.of("baseUrl",
                WebChatClient.endpoint(context).resolve("/fake-anthropic-401").toString(), "model", "claude-fake-1",
                "apiKey", wrongKey, "maxRetries", 0));
        Instances.awaitState(runtime, "claude-401", InstanceState.ACTIVE);
        Eventually.service(context, InferenceProvider.class, Instances.filter("claude-401"));
        Object commands = context.getService(Eventually.reference(context, COMMANDS));

        ConnectionTestResult result = runtime.testConnection("claude-401");
        String shell = call(commands, "test", "claude-401");

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).contains("401", "invalid x-api-key").doesNotContain(wrongKey);
        assertThat(shell).startsWith("failed: ").contains("invalid x-api-key").doesNotContain(wrongKey);
        assertThat(runtime.lastConnectionTest("claude-401")).map(ConnectionTestResult::ok).contains(false);
    }

    // --- helpers

    private ActionOutcome invoke(String instance, String action, Map<String, Object> payload, String by)
            throws Exception {
        return invoker.invoke(new ActionCall(instance, action, payload, by)).toCompletableFuture()
                .get(Eventually.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private void action(String instance, Map<String, Object> settings) throws Exception {
        instance("testaction", instance, settings);
        Eventually.service(context, Action.class, Instances.filter(instance));
        Eventually.until("the invoker offers the action of '" + instance + "'",
                () -> invoker.actions().stream().anyMatch(a -> a.instanceId().equals(instance)));
    }

    private void instance(String factoryPid, String instance, Map<String, Object> settings) throws Exception {
        configurations.add(Instances.create(configAdmin, factoryPid, instance, settings));
        instances.add(instance);
    }

    private TestChatConnector chatAndModel(String chat, String model) throws Exception {
        instance("testchat", chat, Map.of());
        instance("scripted", model, Map.of());
        Eventually.service(context, InferenceProvider.class, Instances.filter(model));
        return (TestChatConnector) Eventually.service(context, Connector.class, Instances.filter(chat));
    }

    private void bot(String id, String chat, String model, Map<String, Object> settings) throws Exception {
        Map<String, Object> properties = new java.util.HashMap<>(settings);
        properties.put("connectors", new String[] { chat });
        properties.put("provider", model);
        configurations.add(Instances.create(configAdmin, "grambot.bot", id, properties));
        Eventually.botListening(context, id);
    }

    private static List<OutgoingMessage> awaitReply(TestChatConnector chat, String conversation, int count)
            throws InterruptedException {
        chat.awaitSent(conversation, count);
        return chat.sent().stream().filter(m -> m.conversationId().equals(conversation)).toList();
    }

    private List<Path> auditFiles() throws Exception {
        try (var files = Files.list(Fixtures.dataDir(context).resolve("audit"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList();
        }
    }

    private List<String> auditLines(String invocationId) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Path file : auditFiles()) {
            Files.readAllLines(file).stream().filter(line -> line.contains("\"invocationId\":\"" + invocationId + "\""))
                    .forEach(lines::add);
        }
        return lines;
    }

    private static String call(Object commands, String name, Object... args) throws Exception {
        for (Method method : commands.getClass().getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == args.length) {
                return (String) method.invoke(commands, args);
            }
        }
        throw new AssertionError("no command " + name + " with " + args.length + " arguments");
    }
}
