package io.grambot.core.internal.flow;

/** Why a step failed, in a sentence that starts with the node ({@code node 'notify': …}). */
public final class StepException extends Exception {

    private static final long serialVersionUID = 1L;

    public StepException(String message) {
        super(message, null, false, false); // an expected outcome: no stack trace to fill in
    }
}
