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
import io.grambot.api.inference.InferenceProvider;

/** A channel adapter's validation: an answer the connector refuses is not sent, and the reason is logged. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class ChannelValidationTest {

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
        Eventually.gone(context, Connector.class, Instances.filter("strict-1"));
        Eventually.gone(context, InferenceProvider.class, Instances.filter("model-strict"));
        Eventually.gone(context, PluginEventHandler.class, "(service.factoryPid=grambot.bot)");
    }

    @Test
    void anAnswerTheConnectorRefusesIsNotSentAndTheReasonIsLogged() throws Exception {
        configurations.add(Instances.create(configAdmin, "strictchat", "strict-1", Map.of("maxChars", 20)));
        configurations.add(Instances.create(configAdmin, "scripted", "model-strict", Map.of()));
        Eventually.service(context, InferenceProvider.class, Instances.filter("model-strict"));
        StrictChatConnector chat = (StrictChatConnector) Eventually.service(context, Connector.class,
                Instances.filter("strict-1"));
        configurations.add(Instances.create(configAdmin, "grambot.bot", "strict-bot", Map.of("connectors",
                new String[] { "strict-1" }, "provider", "model-strict")));
        Eventually.botListening(context, "strict-bot");

        String longAnswer = "a question far too long for this channel (1 messages)";
        try (LogCapture logs = new LogCapture(context)) {
            chat.receive("room-s", "m1", "a question far too long for this channel");
            chat.receive("room-s", "m2", "short");

            // the conversation's turns run in order: once the second answer is sent, the first was dealt with
            Eventually.until("the short answer is sent", () -> !chat.sent.isEmpty());
            assertThat(chat.sent).extracting(OutgoingMessage::text).containsExactly("short (3 messages)");
            assertThat(chat.validated).extracting(OutgoingMessage::text).containsExactly(longAnswer,
                    "short (3 messages)");
            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).startsWith("ERROR io.grambot.core")
                    .contains("bot 'strict-bot': connector 'strict-1' refused the answer to conversation room-s, "
                            + "nothing was sent: the text has " + longAnswer.length()
                            + " characters, more than the 20 this channel takes"));
        }
    }
}
