package io.grambot.api.tool;

import java.util.Map;

import io.grambot.api.PluginException;
import org.osgi.annotation.versioning.ConsumerType;

/** A tool a model may call, such as a web search. */
@ConsumerType
public interface Tool {

    /** The name the model calls it by; unique among the tools a bot offers. */
    String name();

    /** What the tool does, written for the model. */
    String description();

    /** The JSON Schema of the arguments, as JSON-like maps. */
    Map<String, Object> parametersSchema();

    /**
     * Runs the tool. A failure the model should hear about is a {@link ToolResult#error} result; an exception means
     * the tool itself is broken or unreachable and is reported to the model as an error too.
     */
    ToolResult execute(Map<String, Object> arguments, ToolContext context) throws PluginException;
}
