package io.grambot.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Attribute;
import org.osgi.annotation.bundle.Capability;

/**
 * Declares a plugin in its bundle's manifest ({@code Provide-Capability: grambot.plugin}), the OSGi form of a
 * plugin descriptor. Put it on the plugin's component; its instances are factory configurations whose factory PID
 * is {@link PluginConstants#factoryPid(String) factoryPid(id)}.
 */
@Capability(namespace = PluginConstants.PLUGIN_NAMESPACE)
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.PACKAGE})
public @interface GrambotPlugin {

    /** The plugin id, for example {@code telegram} or {@code openai-codex}. */
    @Attribute(PluginConstants.PLUGIN_NAMESPACE)
    String id();

    /** A human-readable name. */
    @Attribute("name")
    String name();

    /** One sentence on what the plugin does. */
    @Attribute("description")
    String description() default "";

    /**
     * Whether each instance gets its own class loader and static state: the core installs a private copy of the
     * bundle per instance and binds the instance's configuration to it (the reference's VM context per instance).
     * Ordinary plugins share one class loader; their instances are separate component objects.
     */
    @Attribute("isolated")
    boolean isolated() default false;
}
