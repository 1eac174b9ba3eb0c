package io.grambot.api.runtime;

/** Where a plugin instance stands. */
public enum InstanceState {
    /** Enabled and valid; its plugin's components have not all come up yet. */
    LOADING,
    /** Enabled, valid, and its plugin's components are up. */
    ACTIVE,
    /** Switched off by its {@code enabled} setting; its data and secrets are kept. */
    DISABLED,
    /** Not running, for the reason given with the state. */
    FAILED
}
