package io.grambot.core.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.MetaTypeService;

/**
 * The settings schemas of installed plugins, built once per bundle revision from their Metatype declarations. A
 * declaration the core cannot use (a bad pattern, an unknown format) is an error that names the plugin.
 */
@Component(service = SettingsSchemas.class)
public final class SettingsSchemas {

    /**
     * A plugin's schema, or why it has none usable.
     *
     * @param schema the schema; empty if the plugin declares no settings or its declaration is broken
     * @param error what is wrong with the declaration, or {@code null}
     */
    record Declared(Optional<SettingsSchema> schema, String error) {}

    private record Key(long bundleId, long lastModified, String factoryPid) {}

    private final MetaTypeService metaTypes;
    private final Logger log;
    private final Map<Key, Declared> cache = new ConcurrentHashMap<>();

    @Activate
    public SettingsSchemas(@Reference MetaTypeService metaTypes, @Reference(service = LoggerFactory.class) Logger log) {
        this.metaTypes = metaTypes;
        this.log = log;
    }

    /** The schema a bundle declares for a factory PID. */
    Declared of(Bundle bundle, String factoryPid) {
        return cache.computeIfAbsent(new Key(bundle.getBundleId(), bundle.getLastModified(), factoryPid),
                key -> load(bundle, factoryPid));
    }

    /** Drops what is cached for a bundle, when it leaves or changes. */
    void forget(Bundle bundle) {
        cache.keySet().removeIf(key -> key.bundleId() == bundle.getBundleId());
    }

    private Declared load(Bundle bundle, String factoryPid) {
        try {
            return new Declared(SettingsSchema.of(metaTypes, bundle, factoryPid), null);
        } catch (IOException | RuntimeException e) {
            String error = "the settings declaration of " + factoryPid + " in bundle " + bundle.getSymbolicName()
                    + " cannot be used: " + e.getMessage();
            log.error(error);
            return new Declared(Optional.empty(), error);
        }
    }
}
