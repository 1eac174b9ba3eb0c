package io.grambot.itest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
import io.grambot.api.PluginException;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.connector.PayloadValidation;

/**
 * An in-memory chat channel that refuses texts longer than {@code maxChars} in {@link #validate}; it records every
 * message it was asked to validate and every message it was asked to send.
 */
@Designate(ocd = StrictChatConnector.Config.class, factory = true)
@GrambotPlugin(id = "strictchat", name = "Strict test chat", description = "Refuses long texts.")
@Component(configurationPid = "strictchat", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Connector.class)
public final class StrictChatConnector implements Connector {

    @ObjectClassDefinition(name = "Strict test chat plugin")
    public @interface Config {
        @AttributeDefinition(required = false, min = "1")
        int maxChars() default 20;
    }

    private final PluginContext context;
    private final int maxChars;
    final List<OutgoingMessage> validated = new CopyOnWriteArrayList<>();
    final List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();

    @Activate
    public StrictChatConnector(Config config,
            @Reference(name = PluginConstants.CONTEXT_REFERENCE) PluginContext context) {
        this.context = context;
        this.maxChars = config.maxChars();
    }

    @Override
    public String id() {
        return context.instanceId();
    }

    void receive(String conversationId, String messageId, String text) throws PluginException {
        context.emit(IncomingMessage.EVENT_TYPE,
                new IncomingMessage(conversationId, messageId, "tester", "Tester", text, List.of()).toPayload());
    }

    @Override
    public PayloadValidation validate(OutgoingMessage message) {
        validated.add(message);
        return message.text().length() > maxChars ? PayloadValidation.invalid("the text has "
                + message.text().length() + " characters, more than the " + maxChars + " this channel takes")
                : PayloadValidation.VALID;
    }

    @Override
    public void send(OutgoingMessage message) {
        sent.add(message);
    }
}
