package io.grambot.plugin.webchat.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.ConnectionTest;
import io.grambot.api.ConnectionTestResult;
import io.grambot.api.GrambotPlugin;
import io.grambot.api.Media;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.SettingFormat;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.connector.PayloadValidation;

import jakarta.servlet.Servlet;

/**
 * The web chat connector: a chat page and its API at a path of Grambot's HTTP server (loopback unless the server is
 * configured otherwise). What a person types becomes a {@value IncomingMessage#EVENT_TYPE} event; what the bot sends
 * is pushed to the page as a server-sent event. One component object, and one servlet, per instance.
 */
@GrambotPlugin(id = WebChat.PLUGIN_ID, name = "Web chat",
        description = "A chat page and its JSON/server-sent-events endpoint on Grambot's HTTP server.")
@Designate(ocd = WebChat.Config.class, factory = true)
@Component(configurationPid = WebChat.PLUGIN_ID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { Connector.class, ConnectionTest.class })
public final class WebChat implements Connector, ConnectionTest {

    static final String PLUGIN_ID = "webchat";
    /** 16 random bytes, base64url: a conversation id is also the capability to read and write it. */
    static final String CONVERSATION_ID = "[A-Za-z0-9_-]{22}";
    private static final Pattern CONVERSATION = Pattern.compile(CONVERSATION_ID);
    private static final long MAX_ATTACHMENT_BYTES = 20L << 20;
    private static final String HTTP_RUNTIME = "org.osgi.service.servlet.runtime.HttpServiceRuntime";

    @ObjectClassDefinition(name = "Grambot Web chat", description = "A chat page on Grambot's HTTP server.")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Whether this instance runs.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Path", description = "Where the page is served on the HTTP server, for "
                + "example /chat. Each web chat instance needs a path of its own.")
        @SettingFormat(pattern = "^/[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")
        String path() default "/chat";

        @AttributeDefinition(name = "Title", description = "The page's title.")
        String title() default "Grambot";

        @AttributeDefinition(name = "Longest message", description = "Characters a person may send at once.",
                min = "1", max = "100000")
        int maxMessageChars() default 4000;

        @AttributeDefinition(name = "Transcript size", description = "Entries per conversation kept to show a page "
                + "that reloads; the bot's own history is kept separately.", min = "1", max = "1000")
        int transcriptSize() default 100;
    }

    private final PluginContext context;
    private final BundleContext bundleContext;
    private final Logger log;
    private final String path;
    private final int maxMessageChars;
    private final Conversations conversations;
    private final WebChatServlet servlet;
    private final ServiceRegistration<Servlet> registration;
    private final ScheduledExecutorService pings;
    private final SecureRandom random = new SecureRandom();

    @Activate
    public WebChat(Config config, @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context,
            @Reference(service = LoggerFactory.class) Logger log, BundleContext bundleContext) throws IOException {
        this.context = context;
        this.bundleContext = bundleContext;
        this.log = log;
        this.path = config.path();
        this.maxMessageChars = config.maxMessageChars();
        ObjectMapper json = new ObjectMapper();
        this.conversations = new Conversations(json, config.transcriptSize(), 10_000);
        this.servlet = new WebChatServlet(this, json, config.title());
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.pattern", new String[] { path, path + "/*" });
        properties.put("osgi.http.whiteboard.servlet.asyncSupported", Boolean.TRUE);
        properties.put("osgi.http.whiteboard.servlet.name", "grambot-webchat-" + context.instanceId());
        properties.put(PluginConstants.INSTANCE_ID, context.instanceId());
        this.registration = bundleContext.registerService(Servlet.class, servlet, properties);
        this.pings = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "grambot-webchat-" + context.instanceId());
            thread.setDaemon(true);
            return thread;
        });
        pings.scheduleWithFixedDelay(conversations::ping, 15, 15, TimeUnit.SECONDS);
        String url = url();
        log.info("web chat '{}' ready at {}", context.instanceId(), url != null ? url : path + "/");
    }

    @Deactivate
    void deactivate() {
        pings.shutdownNow();
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and the framework unregistered it
        }
        servlet.closeStreams();
    }

    @Override
    public String id() {
        return context.instanceId();
    }

    @Override
    public PayloadValidation validate(OutgoingMessage message) {
        List<String> problems = new ArrayList<>();
        if (!CONVERSATION.matcher(message.conversationId()).matches()) {
            problems.add("'" + message.conversationId() + "' is not a web chat conversation id");
        }
        long bytes = message.attachments().stream().mapToLong(Media::size).sum();
        if (bytes > MAX_ATTACHMENT_BYTES) {
            problems.add("attachments of " + bytes + " bytes exceed the web chat's " + MAX_ATTACHMENT_BYTES);
        }
        if (message.text().isEmpty() && message.attachments().isEmpty()) {
            problems.add("a message needs a text or an attachment");
        }
        return problems.isEmpty() ? PayloadValidation.VALID : new PayloadValidation(problems);
    }

    @Override
    public void send(OutgoingMessage message) throws PluginException {
        PayloadValidation validation = validate(message);
        if (!validation.valid()) {
            throw new PluginException("the web chat refused the message: " + String.join("; ", validation.problems()));
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("from", "bot");
        entry.put("text", message.text());
        List<Map<String, Object>> attachments = new ArrayList<>();
        for (Media media : message.attachments()) {
            Map<String, Object> attachment = new LinkedHashMap<>();
            attachment.put("mediaType", media.mediaType());
            attachment.put("fileName", media.fileName());
            attachment.put("base64", Base64.getEncoder().encodeToString(media.data()));
            attachments.add(attachment);
        }
        entry.put("attachments", attachments);
        conversations.append(message.conversationId(), entry);
    }

    @Override
    public ConnectionTestResult testConnection() {
        String url = url();
        return url == null
                ? ConnectionTestResult.failed("no HTTP server is running to serve the page at " + path + "/")
                : ConnectionTestResult.ok("the page is served at " + url);
    }

    /** What came of a message a person posted: its transcript number, or why it was not accepted. */
    record Accepted(long seq, String refusal) {}

    /** A message typed in the page: into the transcript, then to the bot as an event. */
    Accepted receive(String conversationId, String text) {
        long seq = conversations.append(conversationId, Map.of("from", "user", "text", text));
        try {
            context.emit(IncomingMessage.EVENT_TYPE, new IncomingMessage(conversationId, Long.toString(seq),
                    conversationId, null, text, List.of()).toPayload());
            return new Accepted(seq, null);
        } catch (PluginException e) {
            log.warn("web chat '{}' could not hand a message to the bot: {}", context.instanceId(), e.getMessage());
            String refusal = "Grambot is too busy to take this message; please send it again in a moment.";
            conversations.append(conversationId, Map.of("from", "system", "text", refusal));
            return new Accepted(seq, refusal);
        }
    }

    String newConversationId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    int maxMessageChars() {
        return maxMessageChars;
    }

    Conversations conversations() {
        return conversations;
    }

    /** The page's address on the HTTP server, or null while there is no server. */
    private String url() {
        try {
            ServiceReference<?>[] runtimes = bundleContext.getServiceReferences(HTTP_RUNTIME, null);
            if (runtimes == null) {
                return null;
            }
            Object endpoint = runtimes[0].getProperty("osgi.http.endpoint");
            String base = endpoint instanceof String[] all && all.length > 0 ? all[0]
                    : endpoint instanceof java.util.Collection<?> list && !list.isEmpty()
                            ? String.valueOf(list.iterator().next()) : endpoint == null ? null : endpoint.toString();
            if (base == null) {
                return null;
            }
            return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path + "/";
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
