package io.grambot.plugin.telegram.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.Media;
import io.grambot.api.PluginException;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.plugin.telegram.internal.BotApi.Identity;
import io.grambot.plugin.telegram.internal.TelegramSettings.GroupMode;

/**
 * Reads an update into the message the bot answers, or nothing when it is not for the bot.
 *
 * <ul>
 * <li>{@code message} updates; {@code edited_message} only when {@code allowedUpdates} asks for it (an edit would
 * otherwise be answered a second time); channel posts, other bots' messages and messages without text, caption,
 * photo or document (stickers, voice, locations) are not answered;</li>
 * <li>private chats always; groups and supergroups as {@code groupMode} says: with {@code mention}, a message that
 * names the bot ({@code @name}), replies to one of its messages, or is a command;</li>
 * <li>{@code /command@thisbot} becomes {@code /command}; a command for another bot in a group is not answered;</li>
 * <li>the largest size of a photo and a document are fetched (up to {@code maxDownloadBytes}); one that is too large
 * or cannot be fetched leaves a note in brackets in the text, so the bot can say so.</li>
 * </ul>
 * The conversation is the chat ({@code chat.id}), the sender is {@code from} (or {@code sender_chat} for a message
 * sent on behalf of a chat).
 */
final class UpdateReader {

    private static final Pattern COMMAND = Pattern.compile("^/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?=\\s|$)");

    /** Who the bot is; asked for when first needed, since a start may not have reached Telegram. */
    @FunctionalInterface
    interface IdentitySource {
        Identity identity() throws PluginException;
    }

    /** An update that does not have the shape Telegram documents. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    private final String instanceId;
    private final TelegramSettings settings;
    private final IdentitySource identity;
    private final Downloads downloads;
    private final Log log;

    UpdateReader(String instanceId, TelegramSettings settings, IdentitySource identity, Downloads downloads, Log log) {
        this.instanceId = instanceId;
        this.settings = settings;
        this.identity = identity;
        this.downloads = downloads;
        this.log = log;
    }

    /**
     * The message this update carries for the bot, or empty.
     *
     * @throws Malformed if it is not a Telegram update (it is skipped)
     * @throws PluginException if who the bot is cannot be learned now (the update is read again later)
     */
    Optional<IncomingMessage> read(JsonNode update) throws Malformed, PluginException {
        long updateId = update.path("update_id").asLong(-1);
        JsonNode message = update.get("message");
        if (message == null && settings.answersEdits()) {
            message = update.get("edited_message");
        }
        if (message == null || !message.isObject()) {
            log.debug("telegram '" + instanceId + "': update " + updateId + " has no message for the bot");
            return Optional.empty();
        }
        JsonNode chat = message.path("chat");
        if (!chat.path("id").canConvertToLong() || !message.path("message_id").canConvertToLong()) {
            throw new Malformed("update " + updateId + " has a message without 'chat.id' or 'message_id'");
        }
        String chatType = chat.path("type").asText("");
        boolean group = chatType.equals("group") || chatType.equals("supergroup");
        if (!group && !chatType.equals("private")) {
            return Optional.empty(); // channels
        }
        JsonNode from = message.path("from");
        if (from.path("is_bot").asBoolean(false)) {
            return Optional.empty();
        }
        String text = message.path("text").isTextual() ? message.get("text").asText()
                : message.path("caption").asText("");
        JsonNode photos = message.path("photo");
        JsonNode document = message.path("document");
        boolean photo = photos.isArray() && !photos.isEmpty();
        if (text.isEmpty() && !photo && !document.isObject()) {
            log.debug("telegram '" + instanceId + "': message " + message.get("message_id").asText() + " of update "
                    + updateId + " has no text, caption, photo or document");
            return Optional.empty();
        }

        Matcher command = COMMAND.matcher(text);
        if (command.find() && command.group(2) != null) {
            if (command.group(2).equalsIgnoreCase(identity.identity().username())) {
                text = "/" + command.group(1) + text.substring(command.end());
            } else if (group) {
                return Optional.empty(); // a command for another bot
            }
        }
        if (group && !forTheBot(message, text)) {
            return Optional.empty();
        }

        List<Media> attachments = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long messageId = message.get("message_id").asLong();
        if (photo) {
            attach(largest(photos), "image/jpeg", "photo-" + messageId + ".jpg", "a photo", attachments, notes);
        }
        if (document.isObject()) {
            String name = document.path("file_name").asText("file-" + messageId);
            String type = document.path("mime_type").asText("application/octet-stream");
            attach(document, type, name, "the file '" + name + "'", attachments, notes);
        }
        if (!notes.isEmpty()) {
            text = (text.isEmpty() ? "" : text + "\n\n") + String.join("\n", notes);
        }
        return Optional.of(new IncomingMessage(chat.get("id").asText(), Long.toString(messageId), senderId(message),
                senderName(message), text, attachments));
    }

    private boolean forTheBot(JsonNode message, String text) throws PluginException {
        GroupMode mode = settings.groupMode();
        if (mode != GroupMode.MENTION) {
            return mode == GroupMode.ALL;
        }
        if (COMMAND.matcher(text).find()) {
            return true;
        }
        Identity me = identity.identity();
        JsonNode repliedTo = message.path("reply_to_message").path("from");
        if (repliedTo.path("id").asLong(0) == me.id()) {
            return true;
        }
        if (Pattern.compile("(?<![A-Za-z0-9_])@" + Pattern.quote(me.username()) + "(?![A-Za-z0-9_])",
                Pattern.CASE_INSENSITIVE).matcher(text).find()) {
            return true;
        }
        for (String field : List.of("entities", "caption_entities")) {
            for (JsonNode entity : message.path(field)) {
                if (entity.path("type").asText("").equals("text_mention")
                        && entity.path("user").path("id").asLong(0) == me.id()) {
                    return true;
                }
            }
        }
        return false;
    }

    private void attach(JsonNode file, String mediaType, String fileName, String what, List<Media> attachments,
            List<String> notes) {
        if (downloads.maxBytes() == 0) {
            notes.add("[" + what + " was sent, but this bot does not download files]");
            return;
        }
        try {
            attachments.add(downloads.fetch(file, mediaType, fileName));
        } catch (Downloads.TooLarge e) {
            notes.add("[" + what + " was sent, but at " + Downloads.size(e.size) + " it is larger than the "
                    + Downloads.size(downloads.maxBytes()) + " this bot accepts]");
        } catch (PluginException e) {
            log.warn("telegram '" + instanceId + "' cannot fetch " + what + ": " + e.getMessage());
            notes.add("[" + what + " was sent, but could not be downloaded]");
        }
    }

    /** The largest size of a photo: by byte size when Telegram gives it, else by pixels; the last one on a tie. */
    static JsonNode largest(JsonNode sizes) {
        JsonNode best = null;
        for (JsonNode size : sizes) {
            if (best == null || compare(size, best) >= 0) {
                best = size;
            }
        }
        return best;
    }

    private static int compare(JsonNode a, JsonNode b) {
        long bytes = Long.compare(a.path("file_size").asLong(0), b.path("file_size").asLong(0));
        if (bytes != 0) {
            return (int) bytes;
        }
        return Long.compare(a.path("width").asLong(0) * a.path("height").asLong(0),
                b.path("width").asLong(0) * b.path("height").asLong(0));
    }

    private static String senderId(JsonNode message) {
        JsonNode from = message.path("from");
        if (from.path("id").canConvertToLong()) {
            return from.get("id").asText();
        }
        JsonNode chat = message.path("sender_chat");
        return chat.path("id").canConvertToLong() ? chat.get("id").asText() : null;
    }

    private static String senderName(JsonNode message) {
        JsonNode from = message.path("from");
        if (from.isObject()) {
            String name = (from.path("first_name").asText("") + " " + from.path("last_name").asText("")).strip();
            if (!name.isEmpty()) {
                return name;
            }
            if (from.path("username").isTextual()) {
                return from.get("username").asText();
            }
        }
        String title = message.path("sender_chat").path("title").asText("");
        return title.isEmpty() ? null : title;
    }
}
