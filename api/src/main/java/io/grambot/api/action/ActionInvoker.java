package io.grambot.api.action;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one way to run an action (the core's service): validates the payload against the action's schema, runs the
 * attempts asynchronously with the action's retry policy and timeout, and writes an {@link AuditRecord} for every
 * attempt. An action that throws, hangs or returns garbage gives a failed outcome; the caller is never hurt.
 */
@ProviderType
public interface ActionInvoker {

    /** Starts the invocation; the stage completes with its outcome, never exceptionally. */
    CompletionStage<ActionOutcome> invoke(ActionCall call);

    /** The actions running instances offer now, ordered by instance and name. */
    List<ActionInfo> actions();
}
