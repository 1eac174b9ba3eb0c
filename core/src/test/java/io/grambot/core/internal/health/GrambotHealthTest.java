package io.grambot.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.runtime.EventQueueMonitor;
import io.grambot.api.runtime.EventQueueStatus;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.core.internal.DataLayout;
import io.grambot.core.internal.health.HealthResult.Finding;
import io.grambot.core.internal.health.HealthResult.Status;

/** Grambot's health checks over a hand-made runtime view, event queue and data directory. */
class GrambotHealthTest {

    @TempDir
    Path data;

    private final List<InstanceStatus> instances = new ArrayList<>();
    private final Map<String, ConnectionTestResult> tests = new HashMap<>();
    private EventQueueStatus queue = status(0, 100, 0);
    private GrambotHealth health;

    @BeforeEach
    void setUp() {
        PluginRuntime runtime = (PluginRuntime) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { PluginRuntime.class }, (p, method, args) -> switch (method.getName()) {
                case "instances" -> List.copyOf(instances);
                case "lastConnectionTest" -> Optional.ofNullable(tests.get((String) args[0]));
                default -> throw new UnsupportedOperationException(method.getName());
                });
        EventQueueMonitor events = (EventQueueMonitor) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { EventQueueMonitor.class }, (p, method, args) -> queue);
        health = new GrambotHealth(runtime, events, new DataLayout(data));
    }

    @Test
    void aFailedInstanceIsCriticalOneLoadingAWarningAndDisabledOnesDoNotCount() {
        instances.add(instance("web", InstanceState.ACTIVE, ""));
        instances.add(instance("off", InstanceState.DISABLED, ""));
        assertThat(health.instances().status()).isEqualTo(Status.OK);
        assertThat(health.instances().findings()).extracting(Finding::message)
                .containsExactly("1 of 1 enabled instances are active (1 disabled)");

        instances.add(instance("slow", InstanceState.LOADING, "component x waits for [pluginContext]"));
        assertThat(health.instances().status()).isEqualTo(Status.WARN);
        instances.add(instance("bot1", InstanceState.FAILED, "setting 'pollTimeout' must be at most 50 (was 90)"));

        HealthResult result = health.instances();

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.findings()).containsExactly(
                new Finding(Status.OK, "1 of 3 enabled instances are active (1 disabled)"),
                new Finding(Status.WARN, "instance 'slow' (echo) is still loading: component x waits for [pluginContext]"),
                new Finding(Status.CRITICAL, "instance 'bot1' (echo) failed: setting 'pollTimeout' must be at most 50 "
                        + "(was 90)"));
    }

    @Test
    void theQueueWarnsFromHalfFullAndIsCriticalFromNinetyPercentAndOnStuckCalls() {
        assertThat(health.eventQueue().status()).isEqualTo(Status.OK);
        queue = status(49, 100, 0);
        assertThat(health.eventQueue().status()).isEqualTo(Status.OK);
        queue = status(50, 100, 0);
        assertThat(health.eventQueue().findings().get(0)).isEqualTo(new Finding(Status.WARN,
                "50 of 100 events pending (50 %): handlers are falling behind"));
        queue = status(90, 100, 0);
        assertThat(health.eventQueue().status()).isEqualTo(Status.CRITICAL);
        queue = status(1, 100, 2);
        HealthResult stuck = health.eventQueue();
        assertThat(stuck.status()).isEqualTo(Status.WARN);
        assertThat(stuck.findings()).extracting(Finding::message).contains(
                "2 handler calls have timed out and not returned yet (a handler ignoring interrupts holds a worker)",
                "10 accepted, 9 delivered, 1 handler failures, 2 timeouts, 3 refused as full, 0 unhandled since the "
                        + "start; journaled");
    }

    @Test
    void aWritableDataDirectoryIsOkAndOneThatCannotBeWrittenIsCritical() throws Exception {
        HealthResult ok = health.dataDirectory();
        assertThat(ok.status()).as(ok.toString()).isEqualTo(Status.OK);
        assertThat(ok.findings().get(0).message()).isEqualTo("writable: " + data + ", " + data.resolve("events")
                + ", " + data.resolve("audit"));
        assertThat(data.resolve("events")).isDirectory();
        try (var left = Files.list(data.resolve("events"))) {
            assertThat(left).as("the probe file is deleted").isEmpty();
        }

        // a file where the audit directory should be: nothing can be written there (whoever runs the test)
        Path audit = data.resolve("audit");
        Files.delete(audit);
        Files.writeString(audit, "not a directory");
        HealthResult broken = health.dataDirectory();

        assertThat(broken.status()).isEqualTo(Status.CRITICAL);
        assertThat(broken.findings()).extracting(Finding::status, Finding::message).contains(
                org.assertj.core.groups.Tuple.tuple(Status.OK, "writable: " + data + ", " + data.resolve("events")),
                org.assertj.core.groups.Tuple.tuple(Status.CRITICAL, audit
                        + " is not writable: FileAlreadyExistsException: " + audit));
    }

    @Test
    void aFailedLastConnectionTestOfARunningInstanceIsCriticalAndUntestedOnesAreNamed() {
        instances.add(instance("claude", InstanceState.ACTIVE, ""));
        instances.add(instance("web", InstanceState.ACTIVE, ""));
        instances.add(instance("off", InstanceState.DISABLED, ""));
        tests.put("off", ConnectionTestResult.failed("it is disabled"));
        assertThat(health.connections().findings()).extracting(Finding::message).containsExactly(
                "0 running instances passed the last connection test",
                "not tested since the start (Test connection on the Grambot page, or grambot:test <id>): claude, web");
        assertThat(health.connections().status()).isEqualTo(Status.OK);

        tests.put("web", ConnectionTestResult.ok("fine"));
        tests.put("claude", ConnectionTestResult.failed("GET /v1/models answered 401"));
        HealthResult result = health.connections();

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.findings()).containsExactly(
                new Finding(Status.OK, "1 running instance passed the last connection test, 1 failed it"),
                new Finding(Status.CRITICAL, "instance 'claude' (echo): the last connection test failed: GET /v1/models "
                        + "answered 401"));
    }

    private static InstanceStatus instance(String id, InstanceState state, String reason) {
        return new InstanceStatus(id, "echo", "echo~" + id, state, reason, Map.of(), Set.of(), "io.grambot.plugin.echo");
    }

    private static EventQueueStatus status(long depth, int capacity, int stuck) {
        return new EventQueueStatus(true, depth, capacity, 10, 0, 9, 0, 3, 1, 2, stuck, 1, 0);
    }
}
