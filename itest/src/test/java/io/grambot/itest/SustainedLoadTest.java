package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

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

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.PluginEventHandler;
import io.grambot.api.connector.Connector;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.tool.Tool;

/**
 * Sustained load at a fixed rate, the whole way over HTTP: 100 web chat conversations receive {@code RATE} messages
 * a second between them for {@code SECONDS} (an open loop: each message is posted at its planned time whether or
 * not the last was answered, and its latency counts from that planned time, so a stall is not hidden by sending
 * less). Every message is a tool-call turn through the openai-codex plugin against an OpenAI-compatible fake on
 * the same server: POST → bot → model → tool → model → SSE answer. Asserts that every message is answered, in
 * order, with its own text; prints latency percentiles and the heap after a full GC every {@code SAMPLE} seconds.
 * The build runs 10 s at 100 messages/s; {@code bench/load.sh} runs minutes and checks that the heap does not grow.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(EchoPlugin.class)
class SustainedLoadTest {

    private static final int CONVERSATIONS = 100;
    private static final int SENDERS = 8;

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
        Eventually.gone(context, Connector.class, Instances.filter("web-load"));
        Eventually.gone(context, InferenceProvider.class, Instances.filter("llm-load"));
        Eventually.gone(context, Tool.class, Instances.filter("echo-load"));
        Eventually.gone(context, PluginEventHandler.class, "(service.pid=grambot.bot~loadbot)");
    }

    @Test
    void everyMessageAtAFixedRateIsAnsweredInOrder() throws Exception {
        int seconds = setting("GRAMBOT_LOAD_SECONDS", 10);
        int rate = setting("GRAMBOT_LOAD_RATE", 100);
        int sampleSeconds = setting("GRAMBOT_LOAD_SAMPLE_SECONDS", 2);
        int perConversation = seconds * rate / CONVERSATIONS;
        int total = perConversation * CONVERSATIONS;

        try (FakeOpenAi model = new FakeOpenAi(context, "/fake-openai-load", "loud", false)) {
            WebChatClient page = start();
            List<Answers> conversations = new ArrayList<>();
            for (int c = 0; c < CONVERSATIONS; c++) {
                conversations.add(new Answers(page.newConversation(), c, perConversation));
            }
            for (Answers conversation : conversations) {
                conversation.follow(page);
            }
            for (Answers conversation : conversations) {
                conversation.awaitOpen();
            }

            // message k goes to conversation k % 100 at start + k / rate; sender s posts those of conversations
            // c % SENDERS == s, in order, so each conversation's messages leave one after another
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            AtomicLong posted = new AtomicLong();
            AtomicLong lateNanos = new AtomicLong();
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            List<Future<?>> sending = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                sending.add(senders.submit(() -> {
                    for (int k = 0; k < total; k++) {
                        int c = k % CONVERSATIONS;
                        if (c % SENDERS != sender) {
                            continue;
                        }
                        long planned = start + k * intervalNanos;
                        // pacing an open loop, not waiting for a result
                        long wait = planned - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        } else {
                            lateNanos.accumulateAndGet(-wait, Math::max);
                        }
                        Answers conversation = conversations.get(c);
                        int n = k / CONVERSATIONS;
                        conversation.planned[n] = planned;
                        page.send(conversation.id, text(c, n));
                        posted.incrementAndGet();
                    }
                    return null;
                }));
            }

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            List<long[]> heap = new ArrayList<>(); // { seconds since start, bytes used after a full GC }
            heap.add(new long[] { 0, heapAfterGc(memory) });
            StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                    "sustained load: %d conversations, %d messages/s for %d s (%d messages), %d cores%n",
                    CONVERSATIONS, rate, seconds, total, Runtime.getRuntime().availableProcessors()));
            for (int t = sampleSeconds; t <= seconds; t += sampleSeconds) {
                LockSupport.parkNanos(start + TimeUnit.SECONDS.toNanos(t) - System.nanoTime()); // the sampling clock
                long used = heapAfterGc(memory);
                heap.add(new long[] { t, used });
                String line = String.format(Locale.ROOT, "  t=%4d s: %6d posted, %6d answered, heap after GC %6.1f MB%n",
                        t, posted.get(), answered(conversations), used / 1e6);
                System.out.print(line);
                report.append(line);
            }
            for (Future<?> f : sending) {
                f.get(Eventually.TIMEOUT.toSeconds() + seconds, TimeUnit.SECONDS);
            }
            senders.shutdown();
            Eventually.until("every message of the load answered (" + total + ")",
                    () -> answered(conversations) == total);
            heap.add(new long[] { -1, heapAfterGc(memory) });
            conversations.forEach(Answers::close);

            for (int c = 0; c < CONVERSATIONS; c++) {
                Answers conversation = conversations.get(c);
                assertThat(conversation.problem).as("conversation %d", c).isNull();
                assertThat(conversation.count).as("answers of conversation %d", c).isEqualTo(perConversation);
            }
            long[] latencies = new long[total];
            int i = 0;
            for (Answers conversation : conversations) {
                for (int n = 0; n < perConversation; n++) {
                    latencies[i++] = conversation.answeredAt[n] - conversation.planned[n];
                }
            }
            Arrays.sort(latencies);
            report.append(String.format(Locale.ROOT, "  latency from planned send to answer: p50 %.1f ms, p90 %.1f ms,"
                    + " p99 %.1f ms, p99.9 %.1f ms, max %.1f ms; latest send %.1f ms behind plan%n",
                    percentile(latencies, 0.50), percentile(latencies, 0.90), percentile(latencies, 0.99),
                    percentile(latencies, 0.999), latencies[total - 1] / 1e6, lateNanos.get() / 1e6));
            report.append(String.format(Locale.ROOT, "  %d of %d messages answered in order, 0 lost; heap after GC: "
                    + "%s%n", total, total, heapSummary(heap)));
            System.out.print(report);
            Files.writeString(Fixtures.dataDir(context).resolveSibling("load-figures.txt"), report); // bench/load.sh

            int maxGrowthMb = setting("GRAMBOT_LOAD_MAX_GROWTH_MB", 0);
            if (maxGrowthMb > 0) {
                assertThat(growthBytes(heap) / 1e6).as("heap growth after the warm-up third, in MB (%s)",
                        heapSummary(heap)).isLessThan(maxGrowthMb);
            }
        }
    }

    private WebChatClient start() throws Exception {
        configurations.add(Instances.create(configAdmin, "echo", "echo-load",
                Map.of("toolName", "loud", "prefix", "echo:")));
        configurations.add(Instances.create(configAdmin, "webchat", "web-load", Map.of("path", "/chat-load")));
        WebChatClient page = WebChatClient.at(context, "/chat-load");
        configurations.add(Instances.create(configAdmin, "openai.codex", "llm-load",
                Map.of("baseUrl", page.base.resolve("/fake-openai-load/v1").toString(), "model", "load-model")));
        configurations.add(Instances.create(configAdmin, "grambot.bot", "loadbot", Map.of("connectors",
                new String[] { "web-load" }, "provider", "llm-load", "tools", new String[] { "loud" },
                "historyMessages", 20)));
        Eventually.service(context, Tool.class, Instances.filter("echo-load"));
        Eventually.service(context, InferenceProvider.class, Instances.filter("llm-load"));
        Eventually.service(context, Connector.class, Instances.filter("web-load"));
        Eventually.botListening(context, "loadbot");
        Eventually.until("the load's web chat page is served", () -> {
            try {
                return page.get("").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        return page;
    }

    private static String text(int conversation, int n) {
        return "load " + conversation + " " + n;
    }

    private static int answered(List<Answers> conversations) {
        int sum = 0;
        for (Answers conversation : conversations) {
            sum += conversation.count;
        }
        return sum;
    }

    private static long heapAfterGc(MemoryMXBean memory) {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    /** The last sample against the lowest after the first third of the run (history and transcripts fill first). */
    private static long growthBytes(List<long[]> heap) {
        long last = heap.get(heap.size() - 1)[1];
        long lowest = Long.MAX_VALUE;
        for (int i = heap.size() / 3; i < heap.size(); i++) {
            lowest = Math.min(lowest, heap.get(i)[1]);
        }
        return last - lowest;
    }

    private static String heapSummary(List<long[]> heap) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long[] sample : heap.subList(1, heap.size())) {
            min = Math.min(min, sample[1]);
            max = Math.max(max, sample[1]);
        }
        return String.format(Locale.ROOT, "%.1f MB before, %.1f to %.1f MB during, %.1f MB after the load; %.1f MB growth"
                + " after the first third", heap.get(0)[1] / 1e6, min / 1e6, max / 1e6,
                heap.get(heap.size() - 1)[1] / 1e6, growthBytes(heap) / 1e6);
    }

    private static int setting(String name, int defaultValue) {
        return Integer.parseInt(System.getenv().getOrDefault(name, Integer.toString(defaultValue)));
    }

    /**
     * One conversation's event stream, read without keeping its entries (the load must not grow the test's own
     * heap): when each answer arrived, checked against the message it answers.
     */
    private static final class Answers implements WebChatClient.Listener {
        final String id;
        final long[] planned;
        final long[] answeredAt;
        private final int conversation;
        volatile int count;
        volatile String problem;
        private CompletableFuture<HttpResponse<Stream<String>>> response;

        Answers(String id, int conversation, int messages) {
            this.id = id;
            this.conversation = conversation;
            this.planned = new long[messages];
            this.answeredAt = new long[messages];
        }

        void follow(WebChatClient page) {
            response = page.listen(id, 0, this);
        }

        void awaitOpen() throws Exception {
            assertThat(response.get(Eventually.TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode())
                    .as("the event stream of %s", id).isEqualTo(200);
        }

        @Override
        public void entry(JsonNode entry, long arrivedAt) {
            if (entry.path("from").asText().equals("user")) {
                return;
            }
            int n = count;
            String expected = "the tool said: echo:" + text(conversation, n);
            if (n >= answeredAt.length) {
                problem = "an answer more than was asked for: " + entry;
            } else if (!expected.equals(entry.path("text").asText())) {
                problem = problem != null ? problem : "answer " + n + " was " + entry + ", expected '" + expected
                        + "'";
            } else {
                answeredAt[n] = arrivedAt;
                count = n + 1;
            }
        }

        @Override
        public void malformed(String line) {
            problem = "an event is not JSON: " + line;
        }

        void close() {
            response.join().body().close();
        }
    }
}
