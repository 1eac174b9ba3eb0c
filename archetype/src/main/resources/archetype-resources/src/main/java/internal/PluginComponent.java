#set( $factoryPid = $pluginId.replace("-", ".") )
package ${package}.internal;

#if( $serviceType == "connector" )
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.grambot.api.ConnectionTest;
import io.grambot.api.ConnectionTestResult;
import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.connector.PayloadValidation;

/**
 * A chat channel through files, to show a connector's parts: every {@code pollMillis} it reads the instance's
 * {@code inbox/} (one message per {@code <conversation>.<anything>.txt} file, deleted once emitted) and emits each
 * message as a {@value IncomingMessage#EVENT_TYPE} event; an answer is written to {@code outbox/}. Replace the
 * files with your service's protocol. One component object per instance.
 */
@GrambotPlugin(id = PluginComponent.PLUGIN_ID, name = "${pluginId}", description = "A chat channel through files.")
@Designate(ocd = Settings.class, factory = true)
@Component(configurationPid = "${factoryPid}", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { Connector.class, ConnectionTest.class })
public final class PluginComponent implements Connector, ConnectionTest {

    static final String PLUGIN_ID = "${pluginId}";

    /** Where incoming messages go: {@code PluginContext::emit} in the framework. */
    interface Emitter {
        void emit(String type, Map<String, Object> payload) throws PluginException;
    }

    private final String id;
    private final Path inbox;
    private final Path outbox;
    private final Emitter emitter;
    private final AtomicLong sent = new AtomicLong();
    private final ScheduledExecutorService poller;

    @Activate
    public PluginComponent(Settings settings,
            @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) throws IOException {
        this(context.instanceId(), context.dataDirectory(), context::emit);
        poller.scheduleWithFixedDelay(this::poll, 0, settings.pollMillis(), TimeUnit.MILLISECONDS);
    }

    PluginComponent(String id, Path directory, Emitter emitter) throws IOException {
        this.id = id;
        this.inbox = Files.createDirectories(directory.resolve("inbox"));
        this.outbox = Files.createDirectories(directory.resolve("outbox"));
        this.emitter = emitter;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "${pluginId}-" + id));
    }

    @Deactivate
    void stop() {
        poller.shutdownNow();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public PayloadValidation validate(OutgoingMessage message) {
        return message.text().isBlank() ? PayloadValidation.invalid("this channel sends text only, and the text is empty")
                : PayloadValidation.VALID;
    }

    @Override
    public void send(OutgoingMessage message) throws PluginException {
        Path file = outbox.resolve(message.conversationId() + "." + sent.incrementAndGet() + ".txt");
        try {
            Files.writeString(file, message.text(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PluginException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Emits every message in the inbox, oldest name first; a message that cannot be emitted is tried again. */
    void poll() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listed = Files.newDirectoryStream(inbox, "*.txt")) {
            listed.forEach(files::add);
            files.sort(null);
            for (Path file : files) {
                String name = file.getFileName().toString();
                String conversation = name.substring(0, name.indexOf('.'));
                String text = Files.readString(file, StandardCharsets.UTF_8);
                emitter.emit(IncomingMessage.EVENT_TYPE,
                        new IncomingMessage(conversation, name, "file", null, text, List.of()).toPayload());
                Files.delete(file);
            }
        } catch (IOException | PluginException e) {
            // the file stays in the inbox for the next poll
        }
    }

    @Override
    public ConnectionTestResult testConnection() {
        return Files.isWritable(inbox) && Files.isWritable(outbox)
                ? ConnectionTestResult.ok("the inbox and outbox in " + inbox.getParent() + " are writable")
                : ConnectionTestResult.failed("cannot write to " + inbox + " or " + outbox);
    }
}
#elseif( $serviceType == "inference" )
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.grambot.api.ConnectionTest;
import io.grambot.api.ConnectionTestResult;
import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.ChatResponse.StopReason;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.inference.Role;

/**
 * A model that repeats what the person said, to show an inference provider's parts: replace {@link #chat} with
 * a call to your model's API (the request's system prompt, messages, tools and token limit in; text and tool
 * calls out). One component object per instance.
 */
@GrambotPlugin(id = PluginComponent.PLUGIN_ID, name = "${pluginId}", description = "A model that repeats the person.")
@Designate(ocd = Settings.class, factory = true)
@Component(configurationPid = "${factoryPid}", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { InferenceProvider.class, ConnectionTest.class })
public final class PluginComponent implements InferenceProvider, ConnectionTest {

    static final String PLUGIN_ID = "${pluginId}";

    private final String id;
    private final String model;

    @Activate
    public PluginComponent(Settings settings,
            @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this(context.instanceId(), settings.model());
    }

    PluginComponent(String id, String model) {
        this.id = id;
        this.model = model;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        String said = request.messages().stream().filter(m -> m.role() == Role.USER).reduce((a, b) -> b)
                .map(ChatMessage::text).orElse("");
        String answering = request.model() == null ? model : request.model();
        return new ChatResponse(answering + ": you said \"" + said + "\"", List.of(), StopReason.END_TURN,
                new ChatResponse.Usage(said.length(), said.length() + answering.length()));
    }

    @Override
    public List<String> models() {
        return List.of(model);
    }

    @Override
    public ConnectionTestResult testConnection() {
        return ConnectionTestResult.ok("model " + model + " answers locally, there is nothing to connect to");
    }
}
#elseif( $serviceType == "image" )
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.grambot.api.ConnectionTest;
import io.grambot.api.ConnectionTestResult;
import io.grambot.api.GrambotPlugin;
import io.grambot.api.Media;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.image.ImageGenerator;
import io.grambot.api.image.ImageRequest;
import io.grambot.api.image.ImageResult;

/**
 * Draws the prompt as text on a coloured card (SVG), to show an image generator's parts: replace
 * {@link #generate} with a call to your image service. One component object per instance.
 */
@GrambotPlugin(id = PluginComponent.PLUGIN_ID, name = "${pluginId}", description = "Draws the prompt on a card.")
@Designate(ocd = Settings.class, factory = true)
@Component(configurationPid = "${factoryPid}", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { ImageGenerator.class, ConnectionTest.class })
public final class PluginComponent implements ImageGenerator, ConnectionTest {

    static final String PLUGIN_ID = "${pluginId}";

    private final String id;
    private final String background;

    @Activate
    public PluginComponent(Settings settings,
            @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this(context.instanceId(), settings.background());
    }

    PluginComponent(String id, String background) {
        this.id = id;
        this.background = background;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ImageResult generate(ImageRequest request) throws PluginException {
        if (request.prompt().isBlank()) {
            throw new PluginException("the prompt is empty: say what the image should show");
        }
        String text = request.prompt().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        List<Media> images = new ArrayList<>();
        for (int i = 1; i <= request.count(); i++) {
            String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"512\" height=\"512\">"
                    + "<rect width=\"512\" height=\"512\" fill=\"" + background + "\"/>"
                    + "<text x=\"256\" y=\"256\" text-anchor=\"middle\" fill=\"white\">" + text + "</text></svg>";
            images.add(new Media("image/svg+xml", svg.getBytes(StandardCharsets.UTF_8), "image-" + i + ".svg"));
        }
        return new ImageResult(images, "");
    }

    @Override
    public ConnectionTestResult testConnection() {
        return ConnectionTestResult.ok("images are drawn locally, there is nothing to connect to");
    }
}
#else
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.grambot.api.ConnectionTest;
import io.grambot.api.ConnectionTestResult;
import io.grambot.api.GrambotPlugin;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.tool.Tool;
import io.grambot.api.tool.ToolContext;
import io.grambot.api.tool.ToolResult;

/**
 * A tool that greets a person by name, to show a tool's parts: a name, a description and a JSON Schema for the
 * model, and {@link #execute}. One component object per instance.
 */
@GrambotPlugin(id = PluginComponent.PLUGIN_ID, name = "${pluginId}", description = "A tool that greets by name.")
@Designate(ocd = Settings.class, factory = true)
@Component(configurationPid = "${factoryPid}", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { Tool.class, ConnectionTest.class })
public final class PluginComponent implements Tool, ConnectionTest {

    static final String PLUGIN_ID = "${pluginId}";

    private final String name;
    private final String greeting;

    /** Activated once per enabled instance, with its settings and its context (data directory, secrets, events). */
    @Activate
    public PluginComponent(Settings settings,
            @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this(settings.toolName(), settings.greeting());
    }

    PluginComponent(String name, String greeting) {
        this.name = name;
        this.greeting = greeting;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Greets a person by name.";
    }

    @Override
    public Map<String, Object> parametersSchema() {
        return Map.of("type", "object",
                "properties", Map.of("name", Map.of("type", "string", "description", "Who to greet.")),
                "required", List.of("name"));
    }

    @Override
    public ToolResult execute(Map<String, Object> arguments, ToolContext context) {
        if (!(arguments.get("name") instanceof String person) || person.isBlank()) {
            return ToolResult.error("argument 'name' must be a non-empty string, was " + arguments.get("name"));
        }
        String text = greeting + ", " + person + "!";
        return new ToolResult(text, Map.of("greeting", text), List.of(), false);
    }

    @Override
    public ConnectionTestResult testConnection() {
        return ConnectionTestResult.ok("the " + name + " tool needs no connection");
    }
}
#end
