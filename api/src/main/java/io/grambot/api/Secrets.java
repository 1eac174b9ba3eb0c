package io.grambot.api;

import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/** One instance's secrets, stored by the core outside the configuration; other instances cannot read them. */
@ProviderType
public interface Secrets {

    /** The secret stored under {@code key}, if any. */
    Optional<Secret> get(String key);

    /** Stores a secret, replacing any previous value; the write is durable when this returns. */
    void put(String key, Secret value) throws PluginException;

    /** Removes a secret; nothing happens if there was none. */
    void remove(String key) throws PluginException;

    /** The keys that have a secret, never their values. */
    Set<String> keys();
}
