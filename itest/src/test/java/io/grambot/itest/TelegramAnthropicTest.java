package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.ConnectionTest;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.connector.Connector;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.tool.Tool;

/**
 * A Telegram bot on Claude, end to end over real HTTP: the telegram plugin long-polls a local Bot API, the anthropic
 * plugin asks a local Messages API, which calls a tool; the answer goes back with sendMessage. Restarting the telegram
 * bundle resumes from the saved offset: nothing is answered twice, nothing is skipped.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(EchoPlugin.class)
class TelegramAnthropicTest {

    private static final String TOKEN = "123456:AAtest-token-for-the-fake";
    private static final String API_KEY = "sk-ant-api03-itest-key";
    private static final long CHAT = 777;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    private final List<Configuration> configurations = new ArrayList<>();
    private FakeTelegram telegram;
    private FakeAnthropic anthropic;

    @BeforeEach
    void setUp() throws Exception {
        URI base = WebChatClient.endpoint(context);
        telegram = new FakeTelegram(context, "/fake-telegram", TOKEN);
        anthropic = new FakeAnthropic(context, "/fake-anthropic", API_KEY, "loud");
        configurations.add(Instances.create(configAdmin, "echo", "echo-tg", Map.of("toolName", "loud",
                "prefix", "echo:")));
        configurations.add(Instances.create(configAdmin, "anthropic", "claude-it", Map.of("baseUrl",
                base.resolve("/fake-anthropic").toString(), "model", "claude-fake-1", "apiKey", API_KEY)));
        configurations.add(Instances.create(configAdmin, "telegram", "tg-it", Map.of("baseUrl",
                base.resolve("/fake-telegram").toString(), "botToken", TOKEN, "pollTimeoutSeconds", 1,
                "typing", false)));
        configurations.add(Instances.create(configAdmin, "grambot.bot", "tgbot", Map.of("connectors",
                new String[] { "tg-it" }, "provider", "claude-it", "tools", new String[] { "loud" })));
        Eventually.service(context, Tool.class, Instances.filter("echo-tg"));
        Eventually.service(context, InferenceProvider.class, Instances.filter("claude-it"));
        Eventually.service(context, Connector.class, Instances.filter("tg-it"));
        Eventually.botListening(context, "tgbot");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Configuration configuration : configurations) {
            configuration.delete();
        }
        Eventually.gone(context, Connector.class, Instances.filter("tg-it"));
        Eventually.gone(context, InferenceProvider.class, Instances.filter("claude-it"));
        Eventually.gone(context, Tool.class, Instances.filter("echo-tg"));
        Eventually.gone(context, PluginEventHandler.class, "(service.factoryPid=grambot.bot)");
        telegram.close();
        anthropic.close();
    }

    @Test
    void aTelegramUpdateIsAnsweredByClaudeThroughAToolCallAndTheOffsetSurvivesARestart() throws Exception {
        long first = telegram.receive(CHAT, "hello claude");

        Eventually.until("the bot answered on Telegram", () -> !telegram.textsTo(CHAT).isEmpty());
        assertThat(telegram.textsTo(CHAT)).containsExactly("the tool said: echo:hello claude");
        assertThat(telegram.methods).as("polling starts by removing any webhook").contains("deleteWebhook");

        assertThat(anthropic.requests).hasSize(2);
        JsonNode ask = anthropic.requests.get(0);
        assertThat(ask.path("model").asText()).isEqualTo("claude-fake-1");
        assertThat(ask.path("tools").get(0).path("name").asText()).isEqualTo("loud");
        assertThat(ask.path("tools").get(0).path("input_schema").path("type").asText()).isEqualTo("object");
        JsonNode messages = anthropic.requests.get(1).path("messages");
        JsonNode result = messages.get(messages.size() - 1);
        assertThat(result.path("role").asText()).isEqualTo("user");
        assertThat(result.path("content").get(0).path("type").asText()).isEqualTo("tool_result");
        assertThat(result.path("content").get(0).path("tool_use_id").asText()).isEqualTo("toolu_01");
        assertThat(anthropic.versions).containsOnly("2023-06-01");

        // the poller has handed the update on, so the next poll asks from past it
        Eventually.until("the poller asks past the first update",
                () -> telegram.offsets.stream().anyMatch(offset -> offset == first + 1));

        Bundle plugin = Arrays.stream(context.getBundles())
                .filter(b -> "io.grambot.plugin.telegram".equals(b.getSymbolicName())).findFirst().orElseThrow();
        plugin.stop();
        Eventually.gone(context, Connector.class, Instances.filter("tg-it"));
        int pollsBefore = telegram.offsets.size();
        long second = telegram.receive(CHAT, "still there?");
        plugin.start();
        Eventually.service(context, Connector.class, Instances.filter("tg-it"));

        Eventually.until("the message sent while the bot was down is answered", () -> telegram.textsTo(CHAT).size() >= 2);
        assertThat(telegram.textsTo(CHAT)).as("the first update is not answered again")
                .containsExactly("the tool said: echo:hello claude", "the tool said: echo:still there?");
        List<Long> afterRestart = telegram.offsets.subList(pollsBefore, telegram.offsets.size());
        assertThat(afterRestart).as("the restarted poller resumes from the saved offset").isNotEmpty()
                .first().isEqualTo(second);
        assertThat(afterRestart).allMatch(offset -> offset >= second);
    }

    @Test
    void theConnectionTestsAskGetMeAndTheModelsList() throws Exception {
        ConnectionTest telegramTest = Eventually.service(context, ConnectionTest.class, Instances.filter("tg-it"));
        ConnectionTest claudeTest = Eventually.service(context, ConnectionTest.class, Instances.filter("claude-it"));

        var telegramResult = telegramTest.testConnection();
        var claudeResult = claudeTest.testConnection();

        assertThat(telegramResult.ok()).as(telegramResult.message()).isTrue();
        assertThat(telegramResult.message()).contains("fake_bot").doesNotContain(TOKEN);
        assertThat(claudeResult.ok()).as(claudeResult.message()).isTrue();
        assertThat(claudeResult.message()).contains("claude-fake-1").doesNotContain(API_KEY);
    }
}
