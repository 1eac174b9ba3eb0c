package io.grambot.api.flow;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/** The core's flow engine: checks definitions, starts runs, and keeps what each run did. */
@ProviderType
public interface FlowEngine {

    /** The factory PID of flow configurations; the configuration's name is the flow id. */
    String FACTORY_PID = "grambot.flow";
    /** The configuration property that holds the definition, as JSON. */
    String DEFINITION = "definition";

    /** The problems of a definition, each naming the node and field ({@code node 'notify': field 'connector': …}). */
    List<String> validate(String definitionJson);

    /** Every configured flow. */
    List<FlowInfo> flows();

    /**
     * Starts a run of a valid, enabled flow as its trigger node would, with {@code data} as the trigger's data.
     *
     * @return completes with the ended run, failed or not; completes exceptionally with an
     *         {@link IllegalArgumentException} saying why when there is no such flow, or it is disabled or invalid
     */
    CompletionStage<FlowRun> start(String flowId, Map<String, Object> data);

    /** The runs of a flow kept in memory, newest first. */
    List<FlowRun> runs(String flowId, int limit);

    /** One run by id. */
    Optional<FlowRun> run(String runId);
}
