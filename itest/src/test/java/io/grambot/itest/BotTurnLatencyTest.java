package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
        TestChatConnector chat = (TestChatConnector) Eventually.service(context, Connector.class,
                Instances.filter("chat-lat"));
        configurations.add(Instances.create(configAdmin, "grambot.bot", "lat", Map.of("connectors",
                new String[] { "chat-lat" }, "provider", "model-lat", "tools", new String[] { "loud" },
                "historyMessages", 20)));
        Eventually.botListening(context, "lat");

        for (int[] level : new int[][] { { 1, 300 }, { 10, 100 }, { 100, 20 } }) {
            measure(chat, level[0], level[1]);
        }
    }

    private static void measure(TestChatConnector chat, int concurrent, int turns) throws Exception {
        ExecutorService people = Executors.newFixedThreadPool(concurrent);
        List<Future<long[]>> timings = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < concurrent; c++) {
            String conversation = "lat-" + concurrent + "-" + c;
            timings.add(people.submit(() -> {
                long[] latencies = new long[turns];
                for (int n = 0; n < turns; n++) {
                    long sentAt = System.nanoTime();
                    chat.receive(conversation, "m" + n, "call loud " + n);
                    latencies[n] = chat.awaitSent(conversation, n + 1) - sentAt;
                }
                return latencies;
            }));
        }
        long[] all = new long[concurrent * turns];
        int i = 0;
        for (Future<long[]> f : timings) {
            for (long latency : f.get()) {
                all[i++] = latency;
            }
        }
        long elapsed = System.nanoTime() - started;
        people.shutdown();
        Arrays.sort(all);
        System.out.printf("bot turn (event -> bot -> model -> tool -> model -> connector), %3d conversations x %3d"
                + " turns: p50 %6.3f ms, p99 %6.3f ms, max %7.3f ms, %6.0f turns/s%n", concurrent, turns,
                all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6,
                all.length / (elapsed / 1e9));
        List<String> last = chat.sent().stream().filter(m -> m.conversationId().equals("lat-" + concurrent + "-0"))
                .map(OutgoingMessage::text).toList();
        assertThat(last).hasSize(turns).endsWith("tool said: " + (turns - 1));
    }
}
