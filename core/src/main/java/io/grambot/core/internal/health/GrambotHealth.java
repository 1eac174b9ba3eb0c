package io.grambot.core.internal.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.runtime.EventQueueMonitor;
import io.grambot.api.runtime.EventQueueStatus;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.core.internal.DataLayout;
import io.grambot.core.internal.health.HealthResult.Finding;
import io.grambot.core.internal.health.HealthResult.Status;

/**
 * Grambot's own health checks, computed on demand from the runtime's view (nothing is probed over the network):
 * every enabled instance is active, the event queue is not backing up, the data directory (journal, audit log) is
 * writable, and the last connection test of every running instance passed. The console page shows them directly;
 * the {@code felix} package publishes each as a Felix Health Check when that API is installed.
 */
@Component(service = GrambotHealth.class)
public final class GrambotHealth {

    public static final String INSTANCES = "Grambot instances";
    public static final String EVENT_QUEUE = "Grambot event queue";
    public static final String DATA_DIRECTORY = "Grambot data directory";
    public static final String CONNECTIONS = "Grambot connections";

    /** Depth at or above this share of the capacity is a warning, at or above {@link #CRITICAL_SHARE} critical. */
    static final double WARN_SHARE = 0.5;
    static final double CRITICAL_SHARE = 0.9;
    /** Less usable space than this in the data directory is a warning. */
    static final long LOW_SPACE_BYTES = 100L * 1024 * 1024;

    private final PluginRuntime runtime;
    private final EventQueueMonitor events;
    private final DataLayout data;

    @Activate
    public GrambotHealth(BundleContext context, @Reference PluginRuntime runtime, @Reference EventQueueMonitor events) {
        this(runtime, events, DataLayout.of(context));
    }

    public GrambotHealth(PluginRuntime runtime, EventQueueMonitor events, DataLayout data) {
        this.runtime = runtime;
        this.events = events;
        this.data = data;
    }

    /** Every check, in a fixed order. */
    public List<HealthResult> all() {
        return List.of(instances(), eventQueue(), dataDirectory(), connections());
    }

    /** Every enabled instance is active: a failed one is critical, one still loading a warning. */
    public HealthResult instances() {
        List<InstanceStatus> instances = runtime.instances();
        List<Finding> findings = new ArrayList<>();
        int active = 0;
        int disabled = 0;
        for (InstanceStatus instance : instances) {
            switch (instance.state()) {
                case ACTIVE -> active++;
                case DISABLED -> disabled++;
                case FAILED -> findings.add(new Finding(Status.CRITICAL, "instance '" + instance.instanceId() + "' ("
                        + instance.pluginId() + ") failed: " + instance.reason()));
                case LOADING -> findings.add(new Finding(Status.WARN, "instance '" + instance.instanceId() + "' ("
                        + instance.pluginId() + ") is still loading: " + instance.reason()));
            }
        }
        findings.add(0, Finding.ok(instances.isEmpty() ? "no plugin instances are configured"
                : active + " of " + (instances.size() - disabled) + " enabled instances are active"
                        + (disabled == 0 ? "" : " (" + disabled + " disabled)")));
        return new HealthResult(INSTANCES, findings);
    }

    /**
     * The event queue is not backing up: its depth against its capacity, handler calls stuck past their timeout.
     * Refused events are counted in a finding (since the start), not in the status.
     */
    public HealthResult eventQueue() {
        EventQueueStatus status = events.status();
        List<Finding> findings = new ArrayList<>();
        double share = status.capacity() <= 0 ? 1 : (double) status.depth() / status.capacity();
        String depth = status.depth() + " of " + status.capacity() + " events pending ("
                + String.format(Locale.ROOT, "%.0f", share * 100) + " %)";
        if (share >= CRITICAL_SHARE) {
            findings.add(new Finding(Status.CRITICAL, depth
                    + ": the queue is nearly full and emits will soon wait or be refused"));
        } else if (share >= WARN_SHARE) {
            findings.add(new Finding(Status.WARN, depth + ": handlers are falling behind"));
        } else {
            findings.add(Finding.ok(depth));
        }
        if (status.stuckCalls() > 0) {
            findings.add(new Finding(Status.WARN, status.stuckCalls() + " handler "
                    + (status.stuckCalls() == 1 ? "call has" : "calls have")
                    + " timed out and not returned yet (a handler ignoring interrupts holds a worker)"));
        }
        findings.add(Finding.ok(status.accepted() + " accepted, " + status.delivered() + " delivered, "
                + status.failed() + " handler failures, " + status.timedOut() + " timeouts, " + status.rejected()
                + " refused as full, " + status.unhandled() + " unhandled since the start; "
                + (status.journaled() ? "journaled" : "in memory")));
        return new HealthResult(EVENT_QUEUE, findings);
    }

    /** The data directory, the journal's and the audit log's directories are writable, with space left. */
    public HealthResult dataDirectory() {
        List<Finding> findings = new ArrayList<>();
        List<Path> directories = new ArrayList<>(List.of(data.root()));
        if (events.status().journaled()) {
            directories.add(data.eventsDirectory());
        }
        directories.add(data.auditDirectory());
        List<Path> writable = new ArrayList<>();
        for (Path directory : directories) {
            Optional<String> problem = writeProblem(directory);
            if (problem.isPresent()) {
                findings.add(new Finding(Status.CRITICAL, problem.get()));
            } else {
                writable.add(directory);
            }
        }
        if (!writable.isEmpty()) {
            findings.add(0, Finding.ok("writable: " + writable.stream().map(Path::toString)
                    .collect(java.util.stream.Collectors.joining(", "))));
        }
        try {
            long usable = Files.getFileStore(data.root()).getUsableSpace();
            String space = usable / (1024 * 1024) + " MB free in " + data.root();
            findings.add(usable < LOW_SPACE_BYTES ? new Finding(Status.WARN, "only " + space) : Finding.ok(space));
        } catch (IOException e) {
            findings.add(new Finding(Status.WARN, "the free space of " + data.root() + " cannot be read: "
                    + e.getMessage()));
        }
        return new HealthResult(DATA_DIRECTORY, findings);
    }

    /**
     * The last connection test of every running instance passed (none is run here: a test may cost a request of a
     * quota). A failed last test is critical; instances never tested since the start are named.
     */
    public HealthResult connections() {
        List<Finding> findings = new ArrayList<>();
        List<String> untested = new ArrayList<>();
        int passed = 0;
        int failed = 0;
        for (InstanceStatus instance : runtime.instances()) {
            if (instance.state() != InstanceState.ACTIVE) {
                continue;
            }
            Optional<ConnectionTestResult> last = runtime.lastConnectionTest(instance.instanceId());
            if (last.isEmpty()) {
                untested.add(instance.instanceId());
            } else if (last.get().ok()) {
                passed++;
            } else {
                failed++;
                findings.add(new Finding(Status.CRITICAL, "instance '" + instance.instanceId() + "' ("
                        + instance.pluginId() + "): the last connection test failed: " + last.get().message()));
            }
        }
        findings.add(0, Finding.ok(passed + " running " + (passed == 1 ? "instance" : "instances")
                + " passed the last connection test" + (failed == 0 ? "" : ", " + failed + " failed it")));
        if (!untested.isEmpty()) {
            findings.add(Finding.ok("not tested since the start (Test connection on the Grambot page, or "
                    + "grambot:test <id>): " + String.join(", ", untested)));
        }
        return new HealthResult(CONNECTIONS, findings);
    }

    /** Why a directory cannot be written (created if missing, then a probe file written and deleted), if it cannot. */
    static Optional<String> writeProblem(Path directory) {
        try {
            Files.createDirectories(directory);
            Path probe = Files.createTempFile(directory, ".health-", ".probe");
            Files.delete(probe);
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of(directory + " is not writable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
