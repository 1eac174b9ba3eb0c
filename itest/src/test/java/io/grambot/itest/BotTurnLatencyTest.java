package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.grambot.api.PluginEventHandler;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.tool.Tool;

/**
 * What a bot turn costs inside Grambot, without HTTP: connector event → queue → bot → model (answering at once with
 * a tool call) → tool → model → connector send, at 1, 10 and 100 conversations in closed loops. Prints the figures
 * (the benchmark module will own the goal); asserts only that every turn was answered correctly and in order.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(EchoPlugin.class)
class BotTurnLatencyTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    private final List<Configuration> configurations = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Configuration configuration : configurations) {
            configuration.delete();
        }
        Eventually.gone(context, Connector.class, Instances.filter("chat-lat"));
        Eventually.gone(context, Tool.class, Instances.filter("echo-lat"));
        Eventually.gone(context, PluginEventHandler.class, "(service.pid=grambot.bot~lat)");
    }

    @Test
    void turnLatencyAt1And10And100Conversations() throws Exception {
        configurations.add(Instances.create(configAdmin, "testchat", "chat-lat", Map.of()));
        configurations.add(Instances.create(configAdmin, "scripted", "model-lat", Map.of()));
        configurations.add(Instances.create(configAdmin, "echo", "echo-lat", Map.of("toolName", "loud")));
        Eventually.service(context, Tool.class, Instances.filter("echo-lat"));
        configurations.add(Instances.create(configAdmin, "grambot.bot", "lat", Map.of("connectors",
                new String[] { "chat-lat" }, "provider", "model-lat", "tools", new String[] { "loud" },
                "historyMessages", 20)));
        Eventually.botListening(context, "lat");
        // the connector the core answers through, once a probe got its answer (see Eventually.answeringChat)
        TestChatConnector chat = Eventually.answeringChat(context, "chat-lat");

        for (int[] level : new int[][] { { 1, 300 }, { 10, 100 }, { 100, 20 } }) {
            measure(chat, level[0], level[1]);
        }
    }

    private static void measure(TestChatConnector chat, int concurrent, int turns) throws Exception {
        long[] latencies = ClosedLoops.measure("bot turn (event -> bot -> model -> tool -> model -> connector)",
                concurrent, turns, (c, n) -> {
                    String conversation = "lat-" + concurrent + "-" + c;
                    long sentAt = System.nanoTime();
                    chat.receive(conversation, "m" + n, "call loud " + n);
                    return chat.awaitSent(conversation, n + 1) - sentAt;
                });
        assertThat(latencies).hasSize(concurrent * turns);
        List<String> first = chat.sent().stream().filter(m -> m.conversationId().equals("lat-" + concurrent + "-0"))
                .map(OutgoingMessage::text).toList();
        assertThat(first).hasSize(turns).endsWith("tool said: " + (turns - 1));
    }
}
