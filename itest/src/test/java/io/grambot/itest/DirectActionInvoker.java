package io.grambot.itest;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.grambot.api.PluginConstants;
import io.grambot.api.action.Action;
import io.grambot.api.action.ActionCall;
import io.grambot.api.action.ActionContext;
import io.grambot.api.action.ActionInfo;
import io.grambot.api.action.ActionInvoker;
import io.grambot.api.action.ActionOutcome;
import io.grambot.api.action.ActionResult;

/**
 * A stand-in for the core's action invoker, which is written on another branch: it calls the matching
 * {@link Action} service directly on a thread of its own (no validation, retries or audit) and counts the calls.
 * Nothing refers to it; delete this file once the core registers its own {@link ActionInvoker}.
 */
@Component(service = ActionInvoker.class)
public final class DirectActionInvoker implements ActionInvoker {

    private final Map<Action, Map<String, Object>> actions = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    final AtomicInteger calls = new AtomicInteger();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addAction(Action action, Map<String, Object> properties) {
        actions.put(action, properties);
    }

    void removeAction(Action action) {
        actions.remove(action);
    }

    @Deactivate
    void stop() {
        pool.shutdownNow();
    }

    @Override
    public CompletionStage<ActionOutcome> invoke(ActionCall call) {
        calls.incrementAndGet();
        Action action = actions.entrySet().stream()
                .filter(e -> call.instanceId().equals(e.getValue().get(PluginConstants.INSTANCE_ID))
                        && call.action().equals(e.getKey().name()))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (action == null) {
            return CompletableFuture.completedStage(new ActionOutcome(ActionOutcome.Status.NOT_FOUND, Map.of(),
                    "no running instance '" + call.instanceId() + "' offers '" + call.action() + "'", List.of(), 0,
                    Duration.ZERO));
        }
        long began = System.nanoTime();
        return CompletableFuture.supplyAsync(() -> {
            try {
                ActionResult result = action.execute(call.payload(), new ActionContext() {
                    @Override
                    public String invokedBy() {
                        return call.invokedBy();
                    }

                    @Override
                    public int attempt() {
                        return 1;
                    }

                    @Override
                    public boolean cancelled() {
                        return false;
                    }
                });
                return new ActionOutcome(ActionOutcome.Status.SUCCEEDED, result.output(), result.text(), List.of(),
                        1, Duration.ofNanos(System.nanoTime() - began));
            } catch (Exception e) {
                return new ActionOutcome(ActionOutcome.Status.FAILED, Map.of(), e.getMessage(), List.of(), 1,
                        Duration.ofNanos(System.nanoTime() - began));
            }
        }, pool);
    }

    @Override
    public List<ActionInfo> actions() {
        return actions.entrySet().stream().map(e -> new ActionInfo(
                String.valueOf(e.getValue().get(PluginConstants.PLUGIN_ID)),
                String.valueOf(e.getValue().get(PluginConstants.INSTANCE_ID)), e.getKey().name(),
                e.getKey().description(), e.getKey().inputSchema()))
                .sorted(Comparator.comparing(ActionInfo::instanceId).thenComparing(ActionInfo::name)).toList();
    }
}
