package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

/** A bot answers through the event queue: connector in, model with a tool call, tool, model, connector out. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(EchoPlugin.class)
class BotTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    private final List<Configuration> configurations = new ArrayList<>();
    private TestChatConnector chat;

    @BeforeEach
    void setUp() throws Exception {
        configurations.add(Instances.create(configAdmin, "testchat", "chat-e2e", Map.of()));
        configurations.add(Instances.create(configAdmin, "scripted", "model-e2e", Map.of()));
        configurations.add(Instances.create(configAdmin, "echo", "echo-e2e",
                Map.of("toolName", "loud", "prefix", "echo:")));
        Eventually.service(context, Tool.class, Instances.filter("echo-e2e"));
        chat = (TestChatConnector) Eventually.service(context, Connector.class, Instances.filter("chat-e2e"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Configuration configuration : configurations) {
            configuration.delete();
        }
        // the next test reuses these ids: wait until this test's services are gone
        Eventually.gone(context, Connector.class, Instances.filter("chat-e2e"));
        Eventually.gone(context, Tool.class, Instances.filter("echo-e2e"));
        Eventually.gone(context, Tool.class, Instances.filter("stall-e2e"));
        Eventually.gone(context, PluginEventHandler.class, "(service.factoryPid=grambot.bot)");
    }

    @Test
    void aMessageIsAnsweredThroughAToolCallAndTheSameConnector() throws Exception {
        bot("helper", "model-e2e");

        chat.receive("room-1", "m1", "call loud hi there");

        OutgoingMessage reply = awaitReply("room-1", 1).get(0);
        assertThat(reply.text()).isEqualTo("tool said: echo:hi there");
        assertThat(reply.replyToMessageId()).isEqualTo("m1");
    }

    @Test
    void conversationsKeepTheirOrderAndHistoryAndResetForgetsIt() throws Exception {
        bot("keeper", "model-e2e");
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<?>> sending = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            String room = "order-" + c;
            sending.add(senders.submit(() -> {
                for (int n = 0; n < 5; n++) {
                    chat.receive(room, room + "-" + n, "msg " + n);
                }
                return null;
            }));
        }
        for (Future<?> f : sending) {
            f.get();
        }
        senders.shutdown();

        for (int c = 0; c < 4; c++) {
            List<OutgoingMessage> replies = awaitReply("order-" + c, 5);
            // in order, each turn seeing the one before it: 1, 3, 5, ... messages of history
            assertThat(replies).extracting(OutgoingMessage::text).containsExactly("msg 0 (1 messages)",
                    "msg 1 (3 messages)", "msg 2 (5 messages)", "msg 3 (7 messages)", "msg 4 (9 messages)");
        }

        chat.receive("order-0", "r", "/reset");
        awaitReply("order-0", 6);
        chat.receive("order-0", "again", "fresh");
        assertThat(awaitReply("order-0", 7).get(6).text()).isEqualTo("fresh (1 messages)");
    }

    @Test
    void withoutARunningProviderThePersonIsToldWhatToConfigure() throws Exception {
        bot("lost", "no-such-model");

        chat.receive("room-2", "m1", "hello?");

        assertThat(awaitReply("room-2", 1).get(0).text())
                .startsWith("This bot's model is the inference provider \"no-such-model\", which is not set up yet.");
    }

    @Test
    void aToolThatThrowsOrHangsBecomesAnErrorTheModelSeesAndTheTurnGoesOn() throws Exception {
        configurations.add(Instances.create(configAdmin, "faulty", "boom-e2e",
                Map.of("toolName", "boom", "behaviour", "throw")));
        configurations.add(Instances.create(configAdmin, "faulty", "stall-e2e",
                Map.of("toolName", "stall", "behaviour", "hang")));
        Eventually.service(context, Tool.class, Instances.filter("stall-e2e"));
        configurations.add(Instances.create(configAdmin, "grambot.bot", "sturdy", Map.of("connectors",
                new String[] { "chat-e2e" }, "provider", "model-e2e", "tools", new String[] { "boom", "stall" },
                "toolTimeoutSeconds", 1)));
        Eventually.botListening(context, "sturdy");
        chat = Eventually.answeringChat(context, "chat-e2e");

        chat.receive("room-3", "m1", "call boom now");
        chat.receive("room-3", "m2", "call stall now");
        chat.receive("room-3", "m3", "still fine?");

        List<OutgoingMessage> replies = awaitReply("room-3", 3);
        assertThat(replies.get(0).text()).isEqualTo(
                "tool said: error: the tool 'boom' failed: the faulty tool broke, as configured");
        assertThat(replies.get(1).text()).isEqualTo("tool said: error: the tool 'stall' did not answer within 1000 ms");
        assertThat(replies.get(2).text()).startsWith("still fine? (");
    }

    @Test
    void anUnreachableProviderIsExplainedBrieflyAndTheMessageLeavesNoHistory() throws Exception {
        bot("patient", "model-e2e");

        chat.receive("room-4", "m1", "unavailable");
        chat.receive("room-4", "m2", "hello again");

        List<OutgoingMessage> replies = awaitReply("room-4", 2);
        assertThat(replies.get(0).text())
                .isEqualTo("The model provider is not reachable right now; please try again in a moment.");
        assertThat(replies.get(0).text()).doesNotContain("model.invalid");
        assertThat(replies.get(1).text()).isEqualTo("hello again (1 messages)");
    }

    private void bot(String id, String provider) throws Exception {
        configurations.add(Instances.create(configAdmin, "grambot.bot", id, Map.of("connectors",
                new String[] { "chat-e2e" }, "provider", provider, "tools", new String[] { "loud" })));
        Eventually.botListening(context, id);
        chat = Eventually.answeringChat(context, "chat-e2e"); // the connector object the core answers through
    }

    private List<OutgoingMessage> awaitReply(String conversation, int count) throws InterruptedException {
        Eventually.until(count + " replies in " + conversation, () -> replies(conversation).size() >= count);
        return replies(conversation);
    }

    private List<OutgoingMessage> replies(String conversation) {
        return chat.sent().stream().filter(m -> m.conversationId().equals(conversation)).toList();
    }
}
