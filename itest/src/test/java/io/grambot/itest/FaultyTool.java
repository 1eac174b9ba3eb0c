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

        @AttributeDefinition(required = false, description = "What a call does: ok, throw or hang.")
        String behaviour() default "ok";
    }

    private final String name;
    private final String behaviour;

    @Activate
    public FaultyTool(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        if (config.fail()) {
            throw new IllegalStateException("instance " + context.instanceId() + " refuses to start, as configured");
        }
        this.name = config.toolName();
        this.behaviour = config.behaviour();
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
        switch (behaviour) {
            case "throw" -> throw new IllegalStateException("the faulty tool broke, as configured");
            case "hang" -> {
                // hangs until the bot gives up on it and interrupts it (bounded, so a test never leaks it forever)
                try {
                    new java.util.concurrent.CountDownLatch(1).await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
                return ToolResult.text("too late");
            }
            default -> {
                return ToolResult.text("ok");
            }
        }
    }
}
