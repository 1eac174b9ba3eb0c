package io.grambot.core.internal.bot;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.grambot.api.action.ActionCall;
import io.grambot.api.action.ActionInfo;
import io.grambot.api.action.ActionOutcome;
import io.grambot.api.action.ContextEnricher;

import io.grambot.api.image.ImageGenerator;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.tool.Tool;

/** The services a bot turn looks up when it runs: the core's registries, or fakes in tests. */
public interface BotServices {

    /** The inference provider of an instance, or {@code null} if it is not running. */
    InferenceProvider provider(String instanceId);

    /** The tool of that name, or {@code null}. */
    Tool tool(String name);

    /**
     * The state of an inference provider instance that is configured but not running (for example
     * {@code "failed"} or {@code "disabled"}), or {@code null} if no such instance is configured.
     */
    String providerState(String instanceId);

    /** Every tool there is. */
    Collection<Tool> tools();

    /** The image generator of an instance, or {@code null} if it is not running. */
    ImageGenerator imageGenerator(String instanceId);

    /** The actions running instances offer, ordered by instance and name. */
    default List<ActionInfo> actions() {
        return List.of();
    }

    /** Invokes an action through the core's invoker; the stage never fails. */
    default CompletionStage<ActionOutcome> invoke(ActionCall call) {
        return CompletableFuture.completedStage(new ActionOutcome(ActionOutcome.Status.NOT_FOUND, Map.of(),
                "no action invoker", List.of(), 0, java.time.Duration.ZERO));
    }

    /** The context enricher of that name, or {@code null}. */
    default ContextEnricher enricher(String name) {
        return null;
    }

    /** Every context enricher by name. */
    default Map<String, ContextEnricher> enrichers() {
        return Map.of();
    }
}
