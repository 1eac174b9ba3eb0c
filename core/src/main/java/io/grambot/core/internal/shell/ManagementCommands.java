package io.grambot.core.internal.shell;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.PluginEvent;
import io.grambot.api.runtime.EventFailure;
import io.grambot.api.runtime.EventQueueMonitor;
import io.grambot.api.runtime.EventQueueStatus;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.core.internal.BotDirectory;
import io.grambot.core.internal.InstanceAdmin;
import io.grambot.core.internal.action.Redactor;
import io.grambot.core.internal.console.BotsPage.BotView;
import io.grambot.core.internal.health.GrambotHealth;
import io.grambot.core.internal.health.HealthResult;

/**
 * The management commands of the Gogo shell, the console page's operations from a terminal:
 * {@code grambot:instances}, {@code grambot:enable <id>}, {@code grambot:disable <id>}, {@code grambot:events [n]},
 * {@code grambot:bots} and {@code grambot:health} ({@code grambot:test <id>} is in {@link GrambotCommands}). Gogo
 * finds them by the command properties; function names are unique across the {@code grambot} scope's services.
 * Each returns the text to print; a refused request returns why, starting with "Refused:".
 */
@Component(service = Object.class, property = {
        "osgi.command.scope=grambot",
        "osgi.command.function=instances",
        "osgi.command.function=enable",
        "osgi.command.function=disable",
        "osgi.command.function=events",
        "osgi.command.function=bots",
        "osgi.command.function=health" })
public final class ManagementCommands {

    static final int DEFAULT_EVENTS = 20;
    private static final int SHOWN_PAYLOAD = 160;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final PluginRuntime runtime;
    private final InstanceAdmin admin;
    private final EventQueueMonitor events;
    private final BotDirectory bots;
    private final GrambotHealth health;
    private final Redactor redactor;
    private final ObjectMapper json = new ObjectMapper();

    @Activate
    public ManagementCommands(@Reference PluginRuntime runtime, @Reference InstanceAdmin admin,
            @Reference EventQueueMonitor events, @Reference BotDirectory bots, @Reference GrambotHealth health,
            @Reference Redactor redactor) {
        this.runtime = runtime;
        this.admin = admin;
        this.events = events;
        this.bots = bots;
        this.health = health;
        this.redactor = redactor;
    }

    @Descriptor("lists the plugin instances: id, plugin, state (ACTIVE, LOADING, DISABLED or FAILED, with the reason), "
            + "bundle, the services they publish and the last connection test")
    public String instances() {
        List<InstanceStatus> instances = runtime.instances();
        if (instances.isEmpty()) {
            return "No plugin instances. Create one in the web console (Grambot page) or as a file "
                    + "etc/<factoryPid>-<instanceId>.cfg\n";
        }
        StringBuilder out = new StringBuilder();
        for (InstanceStatus instance : instances) {
            out.append(instance.instanceId()).append("  ").append(instance.state()).append("  plugin ")
                    .append(instance.pluginId()).append("  bundle ")
                    .append(instance.bundle().isEmpty() ? "-" : instance.bundle()).append('\n');
            if (!instance.reason().isEmpty()) {
                out.append("    reason: ").append(instance.reason()).append('\n');
            }
            List<String> services = admin.services(instance.instanceId());
            if (!services.isEmpty()) {
                out.append("    services: ").append(String.join(", ", services)).append('\n');
            }
            Optional<ConnectionTestResult> last = runtime.lastConnectionTest(instance.instanceId());
            last.ifPresent(test -> out.append("    last connection test: ").append(test.ok() ? "ok: " : "failed: ")
                    .append(test.message()).append('\n'));
        }
        return out.toString();
    }

    @Descriptor("enables a disabled instance (sets enabled=true in its configuration, and so in its etc/ file)")
    public String enable(@Descriptor("the instance id (see grambot:instances)") String instanceId) {
        return enabled(instanceId, true);
    }

    @Descriptor("disables an instance: it is unloaded, its settings, secrets and data directory are kept "
            + "(sets enabled=false in its configuration)")
    public String disable(@Descriptor("the instance id (see grambot:instances)") String instanceId) {
        return enabled(instanceId, false);
    }

    @Descriptor("shows the event queue (depth, capacity, counters) and its newest " + DEFAULT_EVENTS
            + " events and failures")
    public String events() {
        return events(DEFAULT_EVENTS);
    }

    @Descriptor("shows the event queue (depth, capacity, counters) and its newest events and handler failures, "
            + "newest first; payloads redacted and cut short")
    public String events(@Descriptor("how many events and failures at most (the queue keeps the last 100)") int limit) {
        if (limit < 1) {
            return "Refused: the limit must be at least 1 (was " + limit + ")\n";
        }
        EventQueueStatus status = events.status();
        StringBuilder out = new StringBuilder().append("depth ").append(status.depth()).append(" of ")
                .append(status.capacity()).append(" (").append(status.inFlight()).append(" in flight), ")
                .append(status.journaled() ? "journaled" : "in memory").append(", ").append(status.handlers())
                .append(" handlers; since the start ").append(status.accepted()).append(" accepted, ")
                .append(status.delivered()).append(" delivered, ").append(status.unhandled()).append(" unhandled, ")
                .append(status.rejected()).append(" refused, ").append(status.failed()).append(" failed, ")
                .append(status.timedOut()).append(" timed out, ").append(status.stuckCalls()).append(" stuck\n");
        List<PluginEvent> recent = newestFirst(events.recentEvents(), limit);
        out.append(recent.isEmpty() ? "no events since the start\n" : "events, newest first:\n");
        for (PluginEvent event : recent) {
            out.append("  ").append(TIME.format(event.createdAt())).append("  ").append(event.type()).append("  ")
                    .append(event.instanceId()).append(" (").append(event.pluginId()).append(")  ")
                    .append(event.id()).append("\n    ").append(payload(event)).append('\n');
        }
        List<EventFailure> failures = newestFirst(events.failures(), limit);
        out.append(failures.isEmpty() ? "no handler failures since the start\n" : "failures, newest first:\n");
        for (EventFailure failure : failures) {
            out.append("  ").append(TIME.format(failure.at())).append("  ").append(failure.event().type())
                    .append("  ").append(failure.event().instanceId()).append("  ").append(failure.handler())
                    .append(failure.timedOut() ? "  timed out: " : "  failed: ")
                    .append(redactor.text(failure.message())).append('\n');
        }
        return out.toString();
    }

    @Descriptor("lists the bots: running or not, their connectors and provider (with each instance's state) and model")
    public String bots() {
        List<BotView> all = bots.bots(false);
        if (all.isEmpty()) {
            return "No bots. A bot is a grambot.bot configuration (web console, or etc/grambot.bot-<id>.config)\n";
        }
        StringBuilder out = new StringBuilder();
        for (BotView bot : all) {
            out.append(bot.id()).append("  ").append(bot.running() ? "running" : bot.enabled() ? "not running"
                    : "disabled").append('\n').append("    connectors: ")
                    .append(bot.connectors().isEmpty() ? "none" : String.join(", ", bot.connectors().stream()
                            .map(this::withState).toList())).append('\n').append("    provider: ")
                    .append(bot.provider() == null || bot.provider().isBlank() ? "none" : withState(bot.provider()))
                    .append("  model: ").append(bot.model() == null || bot.model().isBlank() ? "(provider's default)"
                            : bot.model()).append('\n');
        }
        return out.toString();
    }

    @Descriptor("runs Grambot's health checks (instances active, event queue, data directory, last connection tests)")
    public String health() {
        StringBuilder out = new StringBuilder();
        for (HealthResult result : health.all()) {
            out.append(result.status()).append("  ").append(result.name()).append('\n');
            for (HealthResult.Finding finding : result.findings()) {
                out.append("    ").append(finding.status() == HealthResult.Status.OK ? "" : finding.status() + ": ")
                        .append(finding.message()).append('\n');
            }
        }
        return out.toString();
    }

    private String enabled(String instanceId, boolean enabled) {
        try {
            return admin.setEnabled(instanceId, enabled) + "\n";
        } catch (IllegalArgumentException e) {
            return "Refused: " + e.getMessage() + "\n";
        } catch (IOException e) {
            return "Failed: the configuration of '" + instanceId + "' could not be written: " + e.getMessage() + "\n";
        }
    }

    private String withState(String instanceId) {
        return instanceId + " (" + runtime.instance(instanceId).map(s -> s.state().name().toLowerCase(Locale.ROOT))
                .orElse("no such instance") + ")";
    }

    private String payload(PluginEvent event) {
        String text;
        try {
            text = json.writeValueAsString(redactor.payload(event.payload()));
        } catch (JsonProcessingException e) {
            text = String.valueOf(event.payload().keySet());
        }
        return text.length() <= SHOWN_PAYLOAD ? text : text.substring(0, SHOWN_PAYLOAD) + "…";
    }

    private static <T> List<T> newestFirst(List<T> oldestFirst, int limit) {
        List<T> copy = new ArrayList<>(oldestFirst);
        Collections.reverse(copy);
        return copy.subList(0, Math.min(limit, copy.size()));
    }
}
