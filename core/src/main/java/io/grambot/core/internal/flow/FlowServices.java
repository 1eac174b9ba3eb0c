package io.grambot.core.internal.flow;

import io.grambot.api.action.ActionInvoker;
import io.grambot.api.connector.Connector;
import io.grambot.api.inference.InferenceProvider;

/** The services flow steps call, looked up when a step runs (they come and go with their instances). */
public interface FlowServices {

    /** The action invoker, or {@code null} when none is running. */
    ActionInvoker actionInvoker();

    /** The running connector of an instance, or {@code null}. */
    Connector connector(String instanceId);

    /** The running inference provider of an instance, or {@code null}. */
    InferenceProvider provider(String instanceId);
}
