package io.grambot.core.internal;

import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import io.grambot.api.PluginConstants;
import io.grambot.api.action.ContextEnricher;
import io.grambot.api.connector.Connector;
import io.grambot.api.image.ImageGenerator;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.tool.Tool;

/**
 * The connector, inference, tool, image generator and context enricher registries: they follow the services as DS
 * binds and unbinds them, index connectors, providers and generators by instance id and tools and enrichers by name,
 * and answer lookups from
 * immutable snapshots, without locks. Registering an id or tool name that is taken is reported, not obeyed.
 */
@Component(service = Registries.class, immediate = true)
public final class Registries {

    private final ServiceIndex<Connector> connectors;
    private final ServiceIndex<InferenceProvider> providers;
    private final ServiceIndex<Tool> tools;
    private final ServiceIndex<ImageGenerator> imageGenerators;
    private final ServiceIndex<ContextEnricher> enrichers;
    private final Logger log;

    @Activate
    public Registries(@Reference(service = LoggerFactory.class) Logger log) {
        this.connectors = new ServiceIndex<>("connector id", log);
        this.providers = new ServiceIndex<>("inference provider id", log);
        this.tools = new ServiceIndex<>("tool name", log);
        this.imageGenerators = new ServiceIndex<>("image generator id", log);
        this.enrichers = new ServiceIndex<>("context enricher name", log);
        this.log = log;
    }

    public Connector connector(String instanceId) {
        return connectors.get(instanceId);
    }

    public InferenceProvider provider(String instanceId) {
        return providers.get(instanceId);
    }

    public Tool tool(String name) {
        return tools.get(name);
    }

    public ImageGenerator imageGenerator(String instanceId) {
        return imageGenerators.get(instanceId);
    }

    public ContextEnricher enricher(String name) {
        return enrichers.get(name);
    }

    /** Every context enricher by name (a live, unmodifiable view). */
    public java.util.Map<String, ContextEnricher> enrichers() {
        return enrichers.all();
    }

    public Collection<Connector> connectors() {
        return connectors.all().values();
    }

    public Collection<InferenceProvider> providers() {
        return providers.all().values();
    }

    public Collection<Tool> tools() {
        return tools.all().values();
    }

    public Collection<ImageGenerator> imageGenerators() {
        return imageGenerators.all().values();
    }

    /** Every service refused because its id or tool name was taken, one line each. */
    public List<String> conflicts() {
        return Stream.of(connectors, providers, tools, imageGenerators, enrichers)
                .flatMap(i -> i.conflicts().stream()).toList();
    }

    /** Why services of an instance were refused, if they were. */
    public String conflictOf(String instanceId) {
        String found = null;
        for (ServiceIndex<?> index : List.of(connectors, providers, tools, imageGenerators, enrichers)) {
            String conflict = index.conflictsByInstance().get(instanceId);
            if (conflict != null) {
                found = found == null ? conflict : found + "; " + conflict;
            }
        }
        return found;
    }

    // the key of a connector, provider or generator is the id it gives itself (an instance's is its instance id):
    // one that calls itself by another's id is refused as a duplicate and its instance shown as failed, instead of
    // being indexed under its instance id and answering to a name it does not have; null if id() throws
    private String instanceKey(ServiceReference<?> reference, java.util.function.Supplier<String> ownId) {
        Object instance = reference.getProperty(PluginConstants.INSTANCE_ID);
        try {
            String id = ownId.get();
            return id != null ? id : instance instanceof String i ? i : null;
        } catch (RuntimeException e) {
            log.error("a service of instance '{}' is ignored: its id() threw {}", instance, e.toString());
            return null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addConnector(Connector connector, ServiceReference<Connector> reference) {
        String key = instanceKey(reference, connector::id);
        if (key != null) {
            connectors.add(key, connector, reference);
        }
    }

    void removeConnector(Connector connector) {
        connectors.remove(connector);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addProvider(InferenceProvider provider, ServiceReference<InferenceProvider> reference) {
        String key = instanceKey(reference, provider::id);
        if (key != null) {
            providers.add(key, provider, reference);
        }
    }

    void removeProvider(InferenceProvider provider) {
        providers.remove(provider);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTool(Tool tool, ServiceReference<Tool> reference) {
        tools.add(tool.name(), tool, reference);
    }

    void removeTool(Tool tool) {
        tools.remove(tool);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addImageGenerator(ImageGenerator generator, ServiceReference<ImageGenerator> reference) {
        String key = instanceKey(reference, generator::id);
        if (key != null) {
            imageGenerators.add(key, generator, reference);
        }
    }

    void removeImageGenerator(ImageGenerator generator) {
        imageGenerators.remove(generator);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEnricher(ContextEnricher enricher, ServiceReference<ContextEnricher> reference) {
        String name;
        try {
            name = enricher.name();
        } catch (RuntimeException e) {
            log.error("a context enricher of instance '{}' is ignored: its name() threw {}",
                    reference.getProperty(PluginConstants.INSTANCE_ID), e.toString());
            return;
        }
        enrichers.add(name, enricher, reference);
    }

    void removeEnricher(ContextEnricher enricher) {
        enrichers.remove(enricher);
    }
}
