package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginEvent;
import io.grambot.core.internal.events.EventQueueSettings;

class PluginEventQueueTest {

    @TempDir
    Path dir;

    private PluginEventQueue queue;

    @AfterEach
    void stop() {
        if (queue != null) {
            queue.stop();
        }
    }

    /** The component's configuration: the declared defaults, with some values overridden. */
    static PluginEventQueue.Config config(Map<String, Object> overrides) {
        return (PluginEventQueue.Config) Proxy.newProxyInstance(PluginEventQueue.Config.class.getClassLoader(),
                new Class<?>[] { PluginEventQueue.Config.class }, (proxy, method, args) -> overrides
                        .getOrDefault(method.getName(), method.getDefaultValue()));
    }

    static Logger quietLogger() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] { Logger.class },
                (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertThat(PluginEventQueue.settings(config(Map.of()))).isEqualTo(EventQueueSettings.defaults());
    }

    @Test
    void aConfigurationChangeIsAppliedWithoutLosingHandlersOrCounts() throws Exception {
        queue = new PluginEventQueue(PluginEventQueue.settings(config(Map.of("mode", EventQueueSettings.Mode.MEMORY))),
                dir, quietLogger());
        List<PluginEvent> handled = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        queue.addHandler(event -> {
            handled.add(event);
            three.countDown();
        }, Map.of("service.id", 7L, PluginConstants.EVENT_TYPE, "t"));
        queue.emit("p", "i", "t", Map.of("n", 1));

        queue.modified(config(Map.of("mode", EventQueueSettings.Mode.MEMORY, "capacity", 5, "handlerTimeoutMillis",
                100L)));
        queue.emit("p", "i", "t", Map.of("n", 2));

        assertThat(queue.status().accepted()).as("same queue, counting on").isEqualTo(2);
        assertThat(queue.status().capacity()).isEqualTo(5);
        assertThat(dir).isEmptyDirectory();

        queue.modified(config(Map.of()));
        queue.emit("p", "i", "t", Map.of("n", 3));

        assertThat(queue.status().journaled()).as("a new, journaled queue").isTrue();
        assertThat(queue.status().accepted()).isEqualTo(1);
        assertThat(three.await(10, TimeUnit.SECONDS)).as("three events handled").isTrue();
        assertThat(handled).extracting(e -> e.payload().get("n")).containsExactly(1, 2, 3);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("journal files").isNotEmpty();
        }
    }
}
