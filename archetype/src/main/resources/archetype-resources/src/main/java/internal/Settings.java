package ${package}.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
#if( $serviceType != "connector" )

import io.grambot.api.SettingFormat;
#end

/**
 * The settings of one instance: the web console's form (Metatype), checked by the core before the instance starts
 * and handed to the component typed. A setting of type PASSWORD would be a secret, read through
 * {@code PluginContext.secrets()}.
 */
@ObjectClassDefinition(name = "${pluginId}", description = "The settings of a ${pluginId} instance.")
public @interface Settings {

    @AttributeDefinition(name = "Enabled", description = "Whether this instance runs.")
    boolean enabled() default true;
#if( $serviceType == "connector" )

    @AttributeDefinition(name = "Poll interval (ms)", min = "10",
            description = "How often the inbox directory is read for new messages.")
    int pollMillis() default 500;
#elseif( $serviceType == "inference" )

    @AttributeDefinition(name = "Model", description = "The model used when a bot names none.")
    @SettingFormat(pattern = "^[A-Za-z0-9._-]+$")
    String model() default "${pluginId}-1";
#elseif( $serviceType == "image" )

    @AttributeDefinition(name = "Background", description = "The background colour of the images, as #rrggbb.")
    @SettingFormat(pattern = "^#[0-9a-fA-F]{6}$")
    String background() default "#336699";
#else

    @AttributeDefinition(name = "Tool name", min = "1", max = "64",
            description = "The name the model calls the tool by: letters, digits, '_' and '-'.")
    @SettingFormat(pattern = "^[A-Za-z0-9_-]+$")
    String toolName() default "${pluginId}";

    @AttributeDefinition(name = "Greeting", description = "The word the tool greets with.")
    String greeting() default "Hello";
#end
}
