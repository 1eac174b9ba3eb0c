package io.grambot.plugin.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import io.grambot.api.PluginException;
import io.grambot.plugin.telegram.internal.TelegramSettings.GroupMode;
import io.grambot.plugin.telegram.internal.TelegramSettings.Mode;
import io.grambot.plugin.telegram.internal.TelegramSettings.ParseMode;
import io.grambot.plugin.telegram.internal.TelegramSettings.QuoteReplies;

/** A fake Telegram, a plugin context, recorded logs and waits, and connectors made against them; closes all. */
final class Harness implements AutoCloseable {

    static final String TOKEN = "123456789:AAHfake-Token_ForTests0123456789abc";
    static final String WEBHOOK_SECRET = "w3bhook-Secret_0123456789";

    final FakeTelegram telegram;
    final Path data;
    final FakeContext context;
    final List<String> logLines = new CopyOnWriteArrayList<>();
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<TelegramConnector> connectors = new ArrayList<>();
    Webhook webhook;
    String webhookPath;
    boolean webhookClosed;
    Duration typingPeriod = Duration.ofSeconds(4);
    Duration typingBound = Duration.ofMinutes(2);
    Clock clock = Clock.systemUTC();

    Harness() throws IOException {
        telegram = new FakeTelegram(TOKEN);
        data = Files.createTempDirectory("telegram-test");
        context = new FakeContext("main", data).secret(TelegramConnector.BOT_TOKEN, TOKEN)
                .secret(TelegramConnector.WEBHOOK_SECRET, WEBHOOK_SECRET);
    }

    TelegramSettings settings(Mode mode, GroupMode groups, ParseMode parse, boolean typing) {
        return new TelegramSettings(telegram.baseUrl(), mode, Duration.ofSeconds(1), List.of("message"), groups, parse,
                QuoteReplies.GROUPS, mode == Mode.WEBHOOK ? URI.create("https://bot.example.org/telegram/main") : null,
                "/telegram/main", 1 << 20, typing, Duration.ofSeconds(5), 2);
    }

    TelegramSettings polling() {
        return settings(Mode.POLLING, GroupMode.MENTION, ParseMode.NONE, false);
    }

    TelegramConnector start(TelegramSettings settings) throws PluginException {
        return start(settings, context);
    }

    TelegramConnector start(TelegramSettings settings, FakeContext on) throws PluginException {
        TelegramConnector connector = new TelegramConnector(on, settings, log(), sleeps::add, clock,
                (path, hook) -> {
                    webhook = hook;
                    webhookPath = path;
                    return () -> webhookClosed = true;
                }, typingPeriod, typingBound);
        connectors.add(connector);
        return connector;
    }

    Log log() {
        return new Log() {
            @Override
            public void debug(String message) {
                logLines.add("DEBUG " + message);
            }

            @Override
            public void info(String message) {
                logLines.add("INFO " + message);
            }

            @Override
            public void warn(String message) {
                logLines.add("WARN " + message);
            }

            @Override
            public void error(String message) {
                logLines.add("ERROR " + message);
            }
        };
    }

    List<String> lines(String level) {
        return logLines.stream().filter(line -> line.startsWith(level + " ")).map(l -> l.substring(level.length() + 1))
                .toList();
    }

    /** Waits (bounded polling, up to 10 s) until the condition holds. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    static boolean threadsAlive(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(prefix) && t.isAlive());
    }

    void stop(TelegramConnector connector) {
        connector.deactivate();
        connectors.remove(connector);
    }

    @Override
    public void close() throws IOException {
        connectors.forEach(TelegramConnector::deactivate);
        telegram.close();
        assertThat(logLines).noneMatch(line -> line.contains(TOKEN) || line.contains(WEBHOOK_SECRET));
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
