package io.grambot.itest;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.tool.Tool;
import io.grambot.api.tool.ToolContext;
import io.grambot.api.tool.ToolResult;

/** A test plugin whose instances throw in activation when told to; the test bundle declares it. */
@Designate(ocd = FaultyTool.Config.class, factory = true)
@GrambotPlugin(id = "faulty", name = "Faulty", description = "Throws in activation when configured to.")
@Component(configurationPid = "faulty", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = Tool.class)
public final class FaultyTool implements Tool {

    @ObjectClassDefinition(name = "Faulty test plugin")
    public @interface Config {
        @AttributeDefinition(required = false)
        boolean fail() default false;

        @AttributeDefinition(required = false)
        String toolName() default "faulty";

        @AttributeDefinition(type = AttributeType.PASSWORD, required = false, description = "A secret to keep.")
        String apiKey() default "";

        @AttributeDefinition(required = false, min = "1", max = "10")
        int retries() default 3;
    }

    private final String name;

    @Activate
    public FaultyTool(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        if (config.fail()) {
            throw new IllegalStateException("instance " + context.instanceId() + " refuses to start, as configured");
        }
        this.name = config.toolName();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Answers 'ok'.";
    }

    @Override
    public Map<String, Object> parametersSchema() {
        return Map.of("type", "object");
    }

    @Override
    public ToolResult execute(Map<String, Object> arguments, ToolContext context) {
        return ToolResult.text("ok");
    }
}
