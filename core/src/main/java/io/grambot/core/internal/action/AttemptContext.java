package io.grambot.core.internal.action;

import io.grambot.api.action.ActionContext;

/** What one attempt knows; {@link #cancelled()} turns true when the invoker gives up on it. */
final class AttemptContext implements ActionContext {

    private final String invokedBy;
    private final int attempt;
    private volatile boolean cancelled;

    AttemptContext(String invokedBy, int attempt) {
        this.invokedBy = invokedBy;
        this.attempt = attempt;
    }

    @Override
    public String invokedBy() {
        return invokedBy;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
    }

    @Override
    public String toString() {
        return "ActionContext[" + invokedBy + ", attempt " + attempt + (cancelled ? ", cancelled" : "") + "]";
    }
}
