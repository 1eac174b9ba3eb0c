package io.grambot.plugin.telegram.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.Media;
import io.grambot.api.PluginException;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.connector.PayloadValidation;
import io.grambot.http.HttpException;
import io.grambot.http.Multipart;
import io.grambot.plugin.telegram.internal.FormattedText.Span;
import io.grambot.plugin.telegram.internal.TelegramSettings.ParseMode;

/**
 * Sends an answer: its text with {@code sendMessage}, split at Telegram's 4096 characters; images with
 * {@code sendPhoto}, other files with {@code sendDocument} (multipart uploads); a text of at most 1024 characters that
 * comes with exactly one attachment is its caption. The first message quotes the answered one as
 * {@code quoteReplies} says. The option {@value #REACTION} (an emoji) sets a reaction on the answered message
 * ({@code setMessageReaction}).
 */
final class Sender {

    /** The {@link OutgoingMessage#options()} key of an emoji to react with on {@code replyToMessageId}. */
    static final String REACTION = "reaction";
    /** {@code sendPhoto} takes photos of up to 10 MB; larger images go as documents. */
    static final long MAX_PHOTO_BYTES = 10L << 20;
    /** Files a bot may upload to the cloud Bot API. */
    static final long MAX_UPLOAD_BYTES = 50L << 20;
    private static final Set<String> PHOTO_TYPES = Set.of("image/jpeg", "image/png", "image/webp");
    private static final Pattern CHAT_ID = Pattern.compile("-?[0-9]{1,19}");
    private static final Pattern MESSAGE_ID = Pattern.compile("[0-9]{1,10}");

    private final String instanceId;
    private final TelegramSettings settings;
    private final BotApi api;
    private final Log log;

    Sender(String instanceId, TelegramSettings settings, BotApi api, Log log) {
        this.instanceId = instanceId;
        this.settings = settings;
        this.api = api;
        this.log = log;
    }

    /** What Telegram would refuse, said before anything is sent. */
    PayloadValidation validate(OutgoingMessage message) {
        List<String> problems = new ArrayList<>();
        if (chatId(message.conversationId()) == null) {
            problems.add("'" + message.conversationId() + "' is not a Telegram chat id (a number such as 123456789 "
                    + "or -1001234567890)");
        }
        String reply = message.replyToMessageId();
        if (reply != null && !MESSAGE_ID.matcher(reply).matches()) {
            problems.add("'" + reply + "' is not a Telegram message id to reply to");
        }
        Object reaction = message.options().get(REACTION);
        if (reaction != null) {
            if (!(reaction instanceof String emoji) || emoji.isBlank()) {
                problems.add("option '" + REACTION + "' must be an emoji such as \"👍\", was " + reaction);
            } else if (reply == null) {
                problems.add("option '" + REACTION + "' needs replyToMessageId: the message to react to");
            }
        }
        for (Media media : message.attachments()) {
            if (media.size() == 0) {
                problems.add("attachment " + name(media) + " is empty");
            } else if (media.size() > MAX_UPLOAD_BYTES) {
                problems.add("attachment " + name(media) + " has " + Downloads.size(media.size()) + ", more than the "
                        + Downloads.size(MAX_UPLOAD_BYTES) + " Telegram takes from a bot");
            }
        }
        if (message.text().isBlank() && message.attachments().isEmpty() && reaction == null) {
            problems.add("a message needs a text, an attachment or a reaction");
        }
        return problems.isEmpty() ? PayloadValidation.VALID : new PayloadValidation(problems);
    }

    void send(OutgoingMessage message) throws PluginException {
        PayloadValidation validation = validate(message);
        if (!validation.valid()) {
            throw new PluginException("telegram '" + instanceId + "' refused the message: "
                    + String.join("; ", validation.problems()));
        }
        long chatId = chatId(message.conversationId());
        Long answered = message.replyToMessageId() == null ? null : Long.valueOf(message.replyToMessageId());
        Long quote = answered != null && settings.quoteReplies().quote(chatId) ? answered : null;
        List<Span> spans = spans(message.text().strip());
        List<Media> attachments = message.attachments();

        boolean caption = attachments.size() == 1 && !spans.isEmpty()
                && FormattedText.visible(spans).length() <= MessageSplitter.CAPTION_LIMIT;
        List<List<Span>> texts = caption ? List.of() : MessageSplitter.split(spans, MessageSplitter.MESSAGE_LIMIT);
        int total = texts.size() + attachments.size();
        int sent = 0;

        if (message.options().get(REACTION) instanceof String emoji) {
            try {
                react(chatId, answered, emoji.strip());
            } catch (PluginException e) {
                if (total == 0) {
                    throw e;
                }
                log.warn("telegram '" + instanceId + "' could not react to message " + answered + " in chat " + chatId
                        + ": " + e.getMessage());
            }
        }
        try {
            for (List<Span> text : texts) {
                sendText(chatId, text, sent == 0 ? quote : null);
                sent++;
            }
            for (Media media : attachments) {
                upload(chatId, media, caption ? spans : List.of(), sent == 0 ? quote : null);
                sent++;
            }
        } catch (PluginException e) {
            if (sent == 0) {
                throw e;
            }
            throw new PluginException("telegram '" + instanceId + "' sent " + sent + " of " + total + " parts of the "
                    + "answer to chat " + chatId + "; the next failed: " + e.getMessage(), e.status(), false, null, e);
        }
    }

    private List<Span> spans(String text) {
        return settings.parseMode() == ParseMode.NONE ? FormattedText.plain(text) : FormattedText.parseMarkdown(text);
    }

    private void sendText(long chatId, List<Span> text, Long quote) throws PluginException {
        ObjectNode parameters = api.object().put("chat_id", chatId);
        quote(parameters, quote);
        ParseMode mode = settings.parseMode();
        if (mode == ParseMode.NONE) {
            api.call("sendMessage", parameters.put("text", FormattedText.visible(text)));
            return;
        }
        try {
            api.call("sendMessage", parameters.deepCopy().put("text", FormattedText.render(text, mode))
                    .put("parse_mode", mode.parameter));
        } catch (HttpException e) {
            if (!unparsable(e)) {
                throw e;
            }
            log.warn("telegram '" + instanceId + "': Telegram could not read the " + mode.setting + " text ("
                    + e.getMessage() + "); sending it as plain text");
            api.call("sendMessage", parameters.put("text", FormattedText.visible(text)));
        }
    }

    private void upload(long chatId, Media media, List<Span> caption, Long quote) throws PluginException {
        boolean photo = PHOTO_TYPES.contains(media.mediaType().toLowerCase(Locale.ROOT))
                && media.size() <= MAX_PHOTO_BYTES;
        try {
            api.upload(photo ? "sendPhoto" : "sendDocument", form(chatId, media, caption, quote, photo, true));
        } catch (HttpException e) {
            if (photo && e.status() == 400 && e.providerMessage().orElse("").contains("PHOTO_")) {
                // dimensions or ratio Telegram does not take as a photo: the image still goes, as a file
                log.warn("telegram '" + instanceId + "': " + e.getMessage() + "; sending the image as a document");
                api.upload("sendDocument", form(chatId, media, caption, quote, false, true));
            } else if (!caption.isEmpty() && unparsable(e)) {
                log.warn("telegram '" + instanceId + "': Telegram could not read the " + settings.parseMode().setting
                        + " caption (" + e.getMessage() + "); sending it as plain text");
                api.upload(photo ? "sendPhoto" : "sendDocument", form(chatId, media, caption, quote, photo, false));
            } else {
                throw e;
            }
        }
    }

    private Multipart form(long chatId, Media media, List<Span> caption, Long quote, boolean photo, boolean parsed) {
        Multipart.Builder form = Multipart.builder().field("chat_id", Long.toString(chatId));
        if (!caption.isEmpty()) {
            ParseMode mode = parsed ? settings.parseMode() : ParseMode.NONE;
            form.field("caption", FormattedText.render(caption, mode));
            if (mode.parameter != null) {
                form.field("parse_mode", mode.parameter);
            }
        }
        if (quote != null) {
            form.field("reply_parameters", replyParameters(quote).toString());
        }
        return form.file(photo ? "photo" : "document", fileName(media), media.mediaType(), media.data()).build();
    }

    private void react(long chatId, long messageId, String emoji) throws PluginException {
        ObjectNode parameters = api.object().put("chat_id", chatId).put("message_id", messageId);
        parameters.putArray("reaction").addObject().put("type", "emoji").put("emoji", emoji);
        api.call("setMessageReaction", parameters);
    }

    private void quote(ObjectNode parameters, Long quote) {
        if (quote != null) {
            parameters.set("reply_parameters", replyParameters(quote));
        }
    }

    /** Quotes the message; if it was deleted meanwhile the answer still goes. */
    private ObjectNode replyParameters(long messageId) {
        return api.object().put("message_id", messageId).put("allow_sending_without_reply", true);
    }

    private static boolean unparsable(HttpException e) {
        return e.status() == 400 && e.providerMessage().orElse("").toLowerCase(Locale.ROOT)
                .contains("can't parse entities");
    }

    static Long chatId(String conversationId) {
        if (conversationId == null || !CHAT_ID.matcher(conversationId).matches()) {
            return null;
        }
        try {
            return Long.parseLong(conversationId);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    static String fileName(Media media) {
        if (media.fileName() != null && !media.fileName().isBlank()) {
            return media.fileName();
        }
        String type = media.mediaType().toLowerCase(Locale.ROOT);
        String subtype = type.substring(type.indexOf('/') + 1).replaceAll("[^a-z0-9]+.*", "");
        String extension = switch (subtype) {
            case "jpeg" -> "jpg";
            case "plain" -> "txt";
            case "" -> "bin";
            default -> subtype;
        };
        return (type.startsWith("image/") ? "image." : "file.") + extension;
    }

    private static String name(Media media) {
        return "'" + fileName(media) + "' (" + media.mediaType() + ")";
    }
}
