package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.grambot.api.PluginContext;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.Secret;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.PluginInfo;
import io.grambot.api.runtime.PluginRuntime;

/**
 * Managing Grambot from the shell and through health checks, in the framework: the {@code grambot:} management
 * commands (instances, enable, disable, events, bots, health) called as Gogo calls them, Grambot's checks run by the
 * Felix Health Check executor, every shipped plugin's settings form described for the console (labels,
 * descriptions, options, no secret defaults), and a secret's mask sent back by a form leaving the secret alone.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class ManagementTest {

    /** The core's management commands (other services share the grambot scope). */
    private static final String COMMANDS = "(&(osgi.command.scope=grambot)(osgi.command.function=instances))";
    private static final List<String> SHIPPED = List.of("anthropic", "brave-search", "gpt-image", "nanobanana",
            "openai-codex", "telegram", "webchat", "webhooks");

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    PluginRuntime runtime;

    private final List<Configuration> configurations = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Configuration configuration : configurations) {
            configuration.delete();
        }
        for (String instance : List.of("mgmt-hooks", "mgmt-bad", "mgmt-claude")) {
            Eventually.until("instance '" + instance + "' is gone", () -> runtime.instance(instance).isEmpty());
        }
        Eventually.gone(context, PluginEventHandler.class, "(service.pid=grambot.bot~mgmt-bot)");
    }

    @Test
    void theManagementCommandsListEnableAndDisableInstancesAndShowEventsBotsAndHealth() throws Exception {
        configurations.add(Instances.create(configAdmin, "webhooks", "mgmt-hooks", Map.of("secret",
                "mgmt-secret-0815")));
        Instances.awaitState(runtime, "mgmt-hooks", InstanceState.ACTIVE);
        Object commands = context.getService(Eventually.reference(context, COMMANDS));
        // ACTIVE is the components' state; the trigger's servlet comes once the core has subscribed to the trigger
        String listed = "mgmt-hooks  ACTIVE  plugin webhooks  bundle io.grambot.plugin.webhooks\n"
                + "    services: Action, ConnectionTest, Servlet, Trigger\n";
        Eventually.until("the webhooks instance lists all its services", () -> call(commands, "instances")
                .contains(listed));
        assertThat(call(commands, "instances")).contains(listed).doesNotContain("mgmt-secret-0815");

        // disable: the configuration says so, the instance unloads; disabling again says it already is
        assertThat(call(commands, "disable", "mgmt-hooks")).isEqualTo("Disabled instance 'mgmt-hooks'; its settings, "
                + "secrets and data directory are kept.\n");
        Instances.awaitState(runtime, "mgmt-hooks", InstanceState.DISABLED);
        assertThat(configurations.get(0).getProperties().get("enabled")).isEqualTo(false);
        Eventually.gone(context, PluginContext.class, Instances.filter("mgmt-hooks"));
        assertThat(call(commands, "instances")).contains("mgmt-hooks  DISABLED  plugin webhooks");
        assertThat(call(commands, "disable", "mgmt-hooks")).isEqualTo("Instance 'mgmt-hooks' is disabled already "
                + "(DISABLED).\n");
        assertThat(call(commands, "enable", "mgmt-hooks")).isEqualTo("Enabled instance 'mgmt-hooks'; it is loading.\n");
        Instances.awaitState(runtime, "mgmt-hooks", InstanceState.ACTIVE);
        assertThat(call(commands, "enable", "nobody")).isEqualTo("Refused: there is no instance 'nobody'\n");

        // events: the newest first, payloads redacted
        PluginContext hooks = Eventually.service(context, PluginContext.class, Instances.filter("mgmt-hooks"));
        hooks.emit("itest.first", Map.of("n", 1));
        String id = hooks.emit("itest.ping", Map.of("token", "tok-abc-123", "text", "mentions mgmt-secret-0815"))
                .id();
        String events = call(commands, "events", 2);
        assertThat(events).startsWith("depth ").contains(" handlers; since the start ");
        assertThat(events).contains("events, newest first:\n  ", "  itest.ping  mgmt-hooks (webhooks)  " + id
                + "\n    {\"", "\"token\":\"********\"", "\"text\":\"********\"")
                .doesNotContain("tok-abc-123", "mgmt-secret-0815");
        assertThat(events.indexOf("itest.ping")).isLessThan(events.indexOf("itest.first"));
        assertThat(call(commands, "events", 0)).isEqualTo("Refused: the limit must be at least 1 (was 0)\n");

        // bots: connectors and provider with their instances' states
        configurations.add(Instances.create(configAdmin, "grambot.bot", "mgmt-bot", Map.of("connectors",
                new String[] { "mgmt-hooks" }, "provider", "nowhere", "model", "tiny")));
        Eventually.until("the bot is listed", () -> call(commands, "bots").contains("mgmt-bot  running"));
        assertThat(call(commands, "bots")).contains("mgmt-bot  running\n    connectors: mgmt-hooks (active)\n"
                + "    provider: nowhere (no such instance)  model: tiny\n");

        // health: a failing instance makes the instances check critical, naming it and why
        assertThat(call(commands, "health")).contains("OK  Grambot event queue\n", "OK  Grambot data directory\n");
        configurations.add(Instances.create(configAdmin, "webhooks", "mgmt-bad", Map.of("path", "no-slash")));
        Instances.awaitState(runtime, "mgmt-bad", InstanceState.FAILED);
        assertThat(call(commands, "health")).contains("CRITICAL  Grambot instances\n",
                "    CRITICAL: instance 'mgmt-bad' (webhooks) failed: instance 'mgmt-bad' of plugin 'webhooks': "
                        + "setting 'path' must match the pattern");
    }

    @Test
    void commandFunctionsAreUniqueAcrossTheGrambotScope() throws Exception {
        Eventually.reference(context, COMMANDS);
        List<String> functions = new ArrayList<>();
        for (ServiceReference<?> reference : context.getServiceReferences((String) null,
                "(osgi.command.scope=grambot)")) {
            Object declared = reference.getProperty("osgi.command.function");
            functions.addAll(declared instanceof String[] names ? Arrays.asList(names) : List.of(String.valueOf(declared)));
        }
        assertThat(functions).contains("instances", "enable", "disable", "test", "events", "bots", "health",
                "actions", "invoke", "audit", "flows", "runs", "flowstart").doesNotHaveDuplicates();
    }

    @Test
    void grambotsChecksRunAsFelixHealthChecksTaggedGrambot(@InjectService HealthCheckExecutor executor)
            throws Exception {
        configurations.add(Instances.create(configAdmin, "webhooks", "mgmt-bad", Map.of("path", "no-slash")));
        Instances.awaitState(runtime, "mgmt-bad", InstanceState.FAILED);

        List<HealthCheckExecutionResult> results = executor.execute(HealthCheckSelector.tags("grambot"));

        assertThat(results).extracting(r -> r.getHealthCheckMetadata().getName()).containsExactlyInAnyOrder(
                "Grambot instances", "Grambot event queue", "Grambot data directory", "Grambot connections");
        Result instances = result(results, "Grambot instances");
        assertThat(instances.getStatus()).isEqualTo(Result.Status.CRITICAL);
        List<ResultLog.Entry> entries = new ArrayList<>();
        instances.forEach(entries::add);
        assertThat(entries).anySatisfy(entry -> {
            assertThat(entry.getStatus()).isEqualTo(Result.Status.CRITICAL);
            assertThat(entry.getMessage()).startsWith("instance 'mgmt-bad' (webhooks) failed: ");
        });
        assertThat(result(results, "Grambot data directory").getStatus()).isEqualTo(Result.Status.OK);
        assertThat(result(results, "Grambot event queue").getStatus()).isEqualTo(Result.Status.OK);
        assertThat(results).allSatisfy(r -> assertThat(r.hasTimedOut()).isFalse());
    }

    @Test
    void everyShippedPluginDescribesEachSettingForTheConsolesForm(@InjectService MetaTypeService metatype) {
        List<PluginInfo> plugins = runtime.plugins();
        assertThat(plugins).extracting(PluginInfo::id).containsAll(SHIPPED);
        for (PluginInfo plugin : plugins.stream().filter(p -> SHIPPED.contains(p.id())).toList()) {
            Bundle bundle = context.getBundle(plugin.bundleId());
            ObjectClassDefinition ocd = metatype.getMetaTypeInformation(bundle)
                    .getObjectClassDefinition(plugin.factoryPid(), null);
            assertThat(ocd).as(plugin.id()).isNotNull();
            assertThat(ocd.getName()).as(plugin.id()).startsWith("Grambot ");
            assertThat(ocd.getDescription()).as(plugin.id()).isNotBlank();
            for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
                String what = plugin.id() + "/" + ad.getID();
                assertThat(ad.getName()).as(what).isNotBlank().isNotEqualTo(ad.getID());
                assertThat(ad.getDescription()).as(what + " has a description").isNotBlank();
                if (ad.getOptionValues() != null && ad.getOptionValues().length > 0) {
                    assertThat(ad.getOptionLabels()).as(what).hasSameSizeAs(ad.getOptionValues());
                    if (ad.getDefaultValue() != null && ad.getDefaultValue().length == 1) {
                        assertThat(ad.getOptionValues()).as(what + "'s default is an option")
                                .contains(ad.getDefaultValue()[0]);
                    }
                }
                if (ad.getType() == AttributeDefinition.PASSWORD) {
                    assertThat(ad.getDefaultValue() == null ? List.<String>of() : Arrays.asList(ad.getDefaultValue()))
                            .as(what + ": a secret has no default to show").allMatch(String::isEmpty);
                }
            }
            // and the schema the Grambot page's form is made from says the same, secrets as write-only passwords
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) runtime
                    .settingsSchema(plugin.id()).orElseThrow().get("properties");
            assertThat(properties).as(plugin.id()).isNotEmpty();
            properties.forEach((key, property) -> {
                assertThat(property).as(plugin.id() + "/" + key).containsKeys("title", "description");
                if ("password".equals(property.get("format"))) {
                    assertThat(property).as(plugin.id() + "/" + key).containsEntry("writeOnly", true)
                            .doesNotContainKey("default");
                }
            });
        }
    }

    @Test
    void aSecretsMaskSentBackByAFormLeavesTheStoredSecretAndANewValueReplacesIt() throws Exception {
        Configuration claude = Instances.create(configAdmin, "anthropic", "mgmt-claude", Map.of("apiKey",
                "sk-ant-stored-4711"));
        configurations.add(claude);
        Instances.awaitState(runtime, "mgmt-claude", InstanceState.ACTIVE);
        Eventually.until("the secret left the configuration", () -> claude.getProperties().get("apiKey") == null);
        PluginContext instance = Eventually.service(context, PluginContext.class, Instances.filter("mgmt-claude"));
        assertThat(instance.secrets().get("apiKey")).contains(Secret.of("sk-ant-stored-4711"));
        assertThat(runtime.instance("mgmt-claude").orElseThrow().settings()).containsEntry("apiKey", "********");

        // a form that shows the mask and sends it back unchanged, with another setting edited
        Hashtable<String, Object> edited = new Hashtable<>(Map.of("apiKey", "********", "model", "claude-edited"));
        claude.update(edited);
        Eventually.until("the edit is applied and the mask left the configuration", () -> runtime
                .instance("mgmt-claude").map(s -> "claude-edited".equals(s.settings().get("model"))).orElse(false)
                && claude.getProperties().get("apiKey") == null);
        PluginContext after = Eventually.service(context, PluginContext.class, Instances.filter("mgmt-claude"));
        assertThat(after.secrets().get("apiKey")).contains(Secret.of("sk-ant-stored-4711"));

        claude.update(new Hashtable<>(Map.of("apiKey", "sk-ant-replaced-0042", "model", "claude-edited")));
        Eventually.until("the new secret is stored", () -> after.secrets().get("apiKey")
                .equals(java.util.Optional.of(Secret.of("sk-ant-replaced-0042"))));
    }

    private static Result result(List<HealthCheckExecutionResult> results, String name) {
        return results.stream().filter(r -> r.getHealthCheckMetadata().getName().equals(name)).findFirst()
                .orElseThrow().getHealthCheckResult();
    }

    private static String call(Object commands, String name, Object... args) {
        return Shell.call(commands, name, args);
    }
}
