package io.grambot.plugin.telegram.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.grambot.api.PluginContext;
import io.grambot.api.PluginEvent;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.Secrets;
import io.grambot.api.connector.IncomingMessage;

/** A plugin context as the core gives one: its secrets in memory, its events recorded. */
final class FakeContext implements PluginContext {

    private final String instanceId;
    private final Path dataDirectory;
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    final BlockingQueue<IncomingMessage> emitted = new LinkedBlockingQueue<>();
    /** Failures the next emits throw, in order (a full event queue). */
    final Queue<PluginException> refusals = new ConcurrentLinkedQueue<>();

    FakeContext(String instanceId, Path dataDirectory) {
        this.instanceId = instanceId;
        this.dataDirectory = dataDirectory;
    }

    FakeContext secret(String key, String value) {
        secrets.put(key, Secret.of(value));
        return this;
    }

    /** The next emitted message, waiting up to 10 s. */
    IncomingMessage next() throws InterruptedException {
        IncomingMessage message = emitted.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message was emitted within 10 s");
        }
        return message;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public String pluginId() {
        return TelegramConnector.PLUGIN_ID;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of();
    }

    @Override
    public Map<String, Object> engineSettings() {
        return Map.of();
    }

    @Override
    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public Secrets secrets() {
        return new Secrets() {
            @Override
            public Optional<Secret> get(String key) {
                return Optional.ofNullable(secrets.get(key));
            }

            @Override
            public void put(String key, Secret value) {
                secrets.put(key, value);
            }

            @Override
            public void remove(String key) {
                secrets.remove(key);
            }

            @Override
            public Set<String> keys() {
                return Set.copyOf(secrets.keySet());
            }
        };
    }

    @Override
    public PluginEvent emit(String type, Map<String, Object> payload) throws PluginException {
        PluginException refusal = refusals.poll();
        if (refusal != null) {
            throw refusal;
        }
        if (!type.equals(IncomingMessage.EVENT_TYPE)) {
            throw new AssertionError("unexpected event type " + type);
        }
        emitted.add(IncomingMessage.fromPayload(payload));
        return new PluginEvent(UUID.randomUUID().toString(), pluginId(), instanceId, type, payload, Instant.now());
    }
}
