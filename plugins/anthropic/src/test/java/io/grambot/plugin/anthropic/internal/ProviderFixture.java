package io.grambot.plugin.anthropic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.grambot.api.Secret;
import io.grambot.http.HttpLog;

/**
 * What the provider tests share: a {@link FakeAnthropic}, the instance's secrets (changeable between calls), the
 * lines the provider logs and the waits it asked its sleeper for (none of them is waited).
 */
final class ProviderFixture implements AutoCloseable {

    /** Shaped like an Anthropic API key; it must never show up in a message or a log line. */
    static final String KEY = "sk-ant-api03-TESTKEY0123456789abcdefghijklmnopqrstuvwxyz-0123456789AA";
    /** Shaped like an Anthropic OAuth access token; it must never show up in a message or a log line either. */
    static final String TOKEN = "sk-ant-oat01-TESTTOKEN9876543210zyxwvutsrqponmlkjihgfedcba-9876543210BB";

    final FakeAnthropic server;
    final Map<String, String> secrets = new ConcurrentHashMap<>();
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    final List<String> logLines = new CopyOnWriteArrayList<>();

    ProviderFixture() throws IOException {
        server = new FakeAnthropic();
    }

    /** Settings for the fake: its URL with a trailing slash (which is dropped), 1024 tokens, two retries. */
    AnthropicSettings settings() {
        return settings(server.baseUrl() + "/", "claude-sonnet-4-5", List.of(), 2);
    }

    AnthropicSettings settings(String baseUrl, String model, List<String> betas, int maxRetries) {
        return new AnthropicSettings(baseUrl, model, "2023-06-01", betas, 1024, Duration.ofSeconds(10), maxRetries);
    }

    AnthropicProvider provider() {
        return provider(settings());
    }

    AnthropicProvider provider(AnthropicSettings settings) {
        HttpLog log = new HttpLog() {
            @Override
            public void debug(String message) {
                logLines.add(message);
            }

            @Override
            public void warn(String message) {
                logLines.add(message);
            }
        };
        return new AnthropicProvider("main", settings, key -> Optional.ofNullable(secrets.get(key)).map(Secret::of),
                log, sleeps::add);
    }

    FakeAnthropic.Received only() {
        assertThat(server.received()).hasSize(1);
        return server.last();
    }

    /** Stops the fake and checks that no log line gave a secret away. */
    @Override
    public void close() {
        server.close();
        assertThat(logLines).noneMatch(line -> line.contains(KEY) || line.contains(TOKEN));
    }
}
