package io.grambot.core.internal.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.grambot.api.flow.FlowEngine;
import io.grambot.api.flow.FlowInfo;
import io.grambot.core.internal.InstanceIds;

/**
 * One flow: a factory configuration of {@value FlowEngine#FACTORY_PID} (its name is the flow id) with the
 * definition as JSON. The definition is checked whenever the configuration is saved, since DS makes a new component
 * for each version; an invalid one is not loaded, and its problems are logged and kept for {@link FlowInfo}. The
 * engine finds flows as services of this class.
 */
@Designate(ocd = FlowConfiguration.Config.class, factory = true)
@Component(configurationPid = FlowEngine.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = FlowConfiguration.class)
public final class FlowConfiguration {

    @ObjectClassDefinition(name = "Grambot flow", description = "A flow: a trigger node and the condition, action,"
            + " inference and send_message nodes its runs go through. The configuration's name is the flow id.")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Whether the trigger starts runs; a disabled flow"
                + " keeps its definition and run records.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Definition", description = "The flow as JSON: {\"nodes\": [...], \"edges\":"
                + " [...]}; see the README's Flows section.")
        String definition() default "";
    }

    private final String flowId;
    private final boolean enabled;
    private final FlowDefinition definition;
    private final List<String> problems;

    @Activate
    public FlowConfiguration(Config config, Map<String, Object> properties,
            @Reference(service = LoggerFactory.class) Logger log) {
        this(InstanceIds.of(String.valueOf(properties.get(Constants.SERVICE_PID)), FlowEngine.FACTORY_PID),
                config.enabled(), config.definition(), log);
    }

    FlowConfiguration(String flowId, boolean enabled, String json, Logger log) {
        this.flowId = flowId;
        this.enabled = enabled;
        List<String> found = new ArrayList<>();
        try {
            InstanceIds.checkId("flow", flowId); // it names the flow's directory of run records
        } catch (IllegalArgumentException e) {
            found.add(e.getMessage());
        }
        FlowValidator.Result result = FlowValidator.validate(json);
        found.addAll(result.problems());
        this.problems = List.copyOf(found);
        this.definition = problems.isEmpty() ? result.definition() : null;
        if (!problems.isEmpty()) {
            log.error("flow '{}' is not loaded: {}", flowId, String.join("; ", problems));
        } else {
            log.info("flow '{}' is loaded{}: {} nodes, started by {}", flowId, enabled ? "" : " (disabled)",
                    definition.nodes().size(), definition.triggerKey());
        }
    }

    public String flowId() {
        return flowId;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The definition, or {@code null} if it is invalid. */
    public FlowDefinition definition() {
        return definition;
    }

    public boolean valid() {
        return definition != null;
    }

    public FlowInfo info() {
        return new FlowInfo(flowId, enabled, problems, valid() ? definition.triggerKey() : "");
    }
}
