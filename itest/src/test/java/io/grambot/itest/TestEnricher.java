package io.grambot.itest;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.action.ContextEnricher;

/** A test plugin whose context enricher answers every request with one configured snippet. */
@Designate(ocd = TestEnricher.Config.class, factory = true)
@GrambotPlugin(id = "testenricher", name = "Test enricher", description = "A context enricher with one snippet.")
@Component(configurationPid = "testenricher", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ContextEnricher.class)
public final class TestEnricher implements ContextEnricher {

    @ObjectClassDefinition(name = "Test enricher plugin")
    public @interface Config {
        @AttributeDefinition(required = false)
        String enricherName() default "faq";

        @AttributeDefinition(required = false)
        String source() default "handbook";

        @AttributeDefinition(required = false)
        String snippet() default "";
    }

    private final Config config;

    @Activate
    public TestEnricher(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this.config = config;
    }

    @Override
    public String name() {
        return config.enricherName();
    }

    @Override
    public List<ContextSnippet> enrich(EnrichmentRequest request) {
        return List.of(new ContextSnippet(config.source(), config.snippet() + " (asked: " + request.text() + ")"));
    }
}
