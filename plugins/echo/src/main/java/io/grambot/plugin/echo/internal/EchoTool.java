package io.grambot.plugin.echo.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.grambot.api.ConnectionTest;
import io.grambot.api.ConnectionTestResult;
import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.SettingFormat;
import io.grambot.api.tool.Tool;
import io.grambot.api.tool.ToolContext;
import io.grambot.api.tool.ToolResult;

/** A tool that answers with the text it is given, optionally prefixed. One component object per instance. */
@GrambotPlugin(id = EchoTool.PLUGIN_ID, name = "Echo", description = "A tool that repeats the text it is given.")
@Designate(ocd = EchoTool.Config.class, factory = true)
@Component(configurationPid = EchoTool.PLUGIN_ID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { Tool.class, ConnectionTest.class })
public final class EchoTool implements Tool, ConnectionTest {

    static final String PLUGIN_ID = "echo";

    @ObjectClassDefinition(name = "Grambot Echo tool", description = "A tool that repeats the text it is given.")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Whether this instance runs.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Tool name",
                description = "The name the model calls the tool by: letters, digits, '_' and '-', at most 64.",
                min = "1", max = "64")
        @SettingFormat(pattern = "^[A-Za-z0-9_-]+$")
        String toolName() default "echo";

        @AttributeDefinition(name = "Prefix", description = "Text put before every echoed answer.", required = false)
        String prefix() default "";
    }

    private final String name;
    private final String prefix;
    private final String instanceId;

    @Activate
    public EchoTool(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this(config.toolName(), config.prefix(), context.instanceId());
    }

    EchoTool(String name, String prefix, String instanceId) {
        this.name = name;
        this.prefix = prefix;
        this.instanceId = instanceId;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Repeats the given text back.";
    }

    @Override
    public Map<String, Object> parametersSchema() {
        return Map.of("type", "object",
                "properties", Map.of("text", Map.of("type", "string", "description", "The text to repeat.")),
                "required", java.util.List.of("text"));
    }

    @Override
    public ToolResult execute(Map<String, Object> arguments, ToolContext context) {
        Object text = arguments.get("text");
        if (!(text instanceof String s)) {
            return ToolResult.error("argument 'text' must be a string, was " + (text == null ? "missing" : text));
        }
        return new ToolResult(prefix + s, Map.of("text", s, "instance", instanceId), java.util.List.of(), false);
    }

    @Override
    public ConnectionTestResult testConnection() {
        return ConnectionTestResult.ok("echo needs no connection");
    }
}
