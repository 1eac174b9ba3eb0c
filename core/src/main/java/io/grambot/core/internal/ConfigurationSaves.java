package io.grambot.core.internal;

import java.util.Dictionary;

/**
 * Told of each configuration as ConfigAdmin writes it to its store ({@link RecoveringPersistenceManager}): in the
 * thread of the {@code update}, in the order of the updates, with the properties of that very revision. A
 * {@code ConfigurationListener} learns of an update later and can only read what the configuration holds by then.
 */
interface ConfigurationSaves {

    /** A configuration was written; must not fail, block or call back into ConfigAdmin for long. */
    void saved(String pid, Dictionary<String, ?> properties);

    /** A configuration was removed from the store. */
    void removed(String pid);
}
