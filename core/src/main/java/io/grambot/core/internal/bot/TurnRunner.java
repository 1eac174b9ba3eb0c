package io.grambot.core.internal.bot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.log.Logger;

import io.grambot.api.Media;
import io.grambot.api.PluginException;
import io.grambot.api.action.ActionCall;
import io.grambot.api.action.ActionInfo;
import io.grambot.api.action.ActionOutcome;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.image.ImageGenerator;
import io.grambot.api.image.ImageRequest;
import io.grambot.api.image.ImageResult;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.ContentPart;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.inference.Role;
import io.grambot.api.inference.ToolCall;
import io.grambot.api.inference.ToolDefinition;
import io.grambot.api.tool.Tool;
import io.grambot.api.tool.ToolContext;
import io.grambot.api.tool.ToolResult;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One turn of a bot: the person's message and the history go to the model with the bot's tools (and the actions it
 * offers as tools, run through the action invoker), its system prompt extended by its context enrichers; tool calls
 * run in parallel, each with a timeout, and their results (errors included) go back to the model, until it answers or
 * the round limit is reached. Failures become a short answer for the person and a full log line.
 */
public final class TurnRunner {

    /** The tool offered to the model when the bot has an image generator. */
    static final String IMAGE_TOOL = "generate_image";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A finished turn.
     *
     * @param reply what to send back
     * @param added the messages to append to the conversation's history (empty if the turn did not happen)
     */
    public record Turn(OutgoingMessage reply, List<ChatMessage> added) {}

    private final BotSettings settings;
    private final BotServices services;
    private final ExecutorService toolPool;
    private final Logger log;
    private final ContextEnrichment enrichment;

    public TurnRunner(BotSettings settings, BotServices services, ExecutorService toolPool, Logger log) {
        this.settings = settings;
        this.services = services;
        this.toolPool = toolPool;
        this.log = log;
        this.enrichment = new ContextEnrichment(settings, services, toolPool, log);
    }

    /** The tools a turn offers: definitions for the model, and which of them are actions. */
    private record Offer(List<ToolDefinition> definitions, Map<String, ActionInfo> actions) {}

    public Turn run(List<ChatMessage> history, IncomingMessage incoming) {
        return run(null, history, incoming);
    }

    /** Runs a turn for a message that came from {@code connector} (an instance id, for the context enrichers). */
    public Turn run(String connector, List<ChatMessage> history, IncomingMessage incoming) {
        InferenceProvider provider = settings.provider() == null ? null : services.provider(settings.provider());
        if (provider == null) {
            return new Turn(reply(incoming, noProvider(), List.of()), List.of());
        }
        List<ChatMessage> messages = new ArrayList<>(history);
        List<ChatMessage> added = new ArrayList<>();
        add(messages, added, userMessage(incoming));
        List<Media> media = new ArrayList<>();
        Offer offer = offer();
        List<ToolDefinition> tools = offer.definitions();
        String systemPrompt = enrichment.systemPrompt(connector, incoming);
        for (int round = 0;; round++) {
            boolean lastRound = round >= settings.maxToolRounds();
            ChatResponse response;
            try {
                response = provider.chat(new ChatRequest(settings.model(), systemPrompt, messages,
                        lastRound ? List.of() : tools, settings.maxTokens()));
            } catch (PluginException | RuntimeException e) {
                log.error("bot '{}': inference provider '{}' failed in conversation {}: {}", settings.botId(),
                        settings.provider(), incoming.conversationId(), e.toString());
                return new Turn(reply(incoming, providerFailed(e), media), List.of());
            }
            add(messages, added, ChatMessage.assistant(response.text(), lastRound ? List.of() : response.toolCalls()));
            if (response.toolCalls().isEmpty() || lastRound) {
                String text = response.text().isEmpty() && lastRound && !response.toolCalls().isEmpty()
                        ? "I could not finish this within " + settings.maxToolRounds() + " rounds of tool calls."
                        : response.text();
                return new Turn(reply(incoming, text, media), added);
            }
            for (ToolOutcome outcome : callTools(response.toolCalls(), incoming, offer)) {
                add(messages, added, ChatMessage.toolResult(outcome.call().id(), outcome.text()));
                media.addAll(outcome.media());
            }
        }
    }

    private static void add(List<ChatMessage> messages, List<ChatMessage> added, ChatMessage message) {
        messages.add(message);
        added.add(message);
    }

    private static ChatMessage userMessage(IncomingMessage incoming) {
        List<ContentPart> parts = new ArrayList<>();
        if (!incoming.text().isEmpty()) {
            parts.add(new ContentPart.Text(incoming.text()));
        }
        incoming.attachments().stream().filter(m -> m.mediaType().startsWith("image/"))
                .forEach(m -> parts.add(new ContentPart.Image(m)));
        return new ChatMessage(Role.USER, parts, List.of(), null);
    }

    private Offer offer() {
        Map<String, ToolDefinition> definitions = new LinkedHashMap<>();
        for (Tool tool : services.tools()) {
            if (settings.allowsTool(tool.name())) {
                definitions.put(tool.name(), new ToolDefinition(tool.name(), tool.description(), tool.parametersSchema()));
            }
        }
        if (settings.imageGenerator() != null) {
            definitions.put(IMAGE_TOOL, new ToolDefinition(IMAGE_TOOL, "Generates an image from a description and "
                    + "sends it to the person.", Map.of("type", "object", "properties", Map.of(
                            "prompt", Map.of("type", "string", "description", "What the image shows."),
                            "size", Map.of("type", "string", "description", "For example 1024x1024.")),
                            "required", List.of("prompt"))));
        }
        Map<String, ActionInfo> actions = new LinkedHashMap<>();
        if (!settings.actions().isEmpty()) {
            for (ActionInfo action : services.actions()) {
                if (!settings.allowsAction(action.instanceId(), action.name(), action.offeredAsTool())) {
                    continue;
                }
                String name = actionToolName(action.instanceId(), action.name());
                if (definitions.containsKey(name)) {
                    log.warn("bot '{}': action '{}' of instance '{}' is not offered: the tool name '{}' is taken",
                            settings.botId(), action.name(), action.instanceId(), name);
                    continue;
                }
                definitions.put(name, new ToolDefinition(name, action.description(), action.inputSchema()));
                actions.put(name, action);
            }
        }
        return new Offer(List.copyOf(definitions.values()), Map.copyOf(actions));
    }

    /**
     * The tool name an action is offered by: {@code <instanceId>__<actionName>}, every character outside
     * {@code [A-Za-z0-9_-]} replaced by {@code _}, at most 64 characters (what model APIs accept).
     */
    static String actionToolName(String instanceId, String action) {
        String name = (instanceId + "__" + action).replaceAll("[^A-Za-z0-9_-]", "_");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private record ToolOutcome(ToolCall call, String text, List<Media> media) {}

    /** Runs the calls of one round in parallel; every call ends with a text for the model, whatever happens. */
    private List<ToolOutcome> callTools(List<ToolCall> calls, IncomingMessage incoming, Offer offer) {
        ToolContext context = new ToolContext(settings.botId(), incoming.conversationId(), null);
        List<Future<ToolResult>> running = new ArrayList<>();
        for (ToolCall call : calls) {
            running.add(toolPool.submit(() -> call(call, new ToolContext(context.botId(), context.conversationId(),
                    call.id()), offer)));
        }
        long deadline = System.nanoTime() + settings.toolTimeout().toNanos();
        List<ToolOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            ToolCall call = calls.get(i);
            Future<ToolResult> future = running.get(i);
            try {
                ToolResult result = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                outcomes.add(new ToolOutcome(call, (result.error() ? "error: " : "") + result.text(), result.media()));
            } catch (TimeoutException e) {
                future.cancel(true);
                log.warn("bot '{}': tool '{}' did not answer within {} ms", settings.botId(), call.name(),
                        settings.toolTimeout().toMillis());
                outcomes.add(new ToolOutcome(call, "error: the tool '" + call.name() + "' did not answer within "
                        + settings.toolTimeout().toMillis() + " ms", List.of()));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                log.warn("bot '{}': tool '{}' failed: {}", settings.botId(), call.name(), cause.toString());
                outcomes.add(new ToolOutcome(call, "error: the tool '" + call.name() + "' failed: "
                        + cause.getMessage(), List.of()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcomes.add(new ToolOutcome(call, "error: the turn was stopped", List.of()));
            }
        }
        return outcomes;
    }

    private ToolResult call(ToolCall call, ToolContext context, Offer offer) throws Exception {
        ActionInfo action = offer.actions().get(call.name());
        if (action != null) {
            ActionOutcome outcome = services.invoke(new ActionCall(action.instanceId(), action.name(),
                    call.arguments(), "bot:" + settings.botId())).toCompletableFuture().get();
            return toolResult(outcome);
        }
        if (IMAGE_TOOL.equals(call.name()) && settings.imageGenerator() != null) {
            ImageGenerator generator = services.imageGenerator(settings.imageGenerator());
            if (generator == null) {
                return ToolResult.error("the image generator '" + settings.imageGenerator() + "' is not running");
            }
            Object prompt = call.arguments().get("prompt");
            Object size = call.arguments().get("size");
            ImageResult images = generator.generate(new ImageRequest(String.valueOf(prompt), List.of(),
                    size instanceof String s ? s : null, 1, Map.of()));
            return new ToolResult("generated " + images.images().size() + " image(s); they are sent with the answer"
                    + (images.text().isEmpty() ? "" : ": " + images.text()), Map.of(), images.images(), false);
        }
        Tool tool = settings.allowsTool(call.name()) ? services.tool(call.name()) : null;
        if (tool == null) {
            return ToolResult.error("no tool named '" + call.name() + "' is available");
        }
        return tool.execute(call.arguments(), context);
    }

    /** An action's outcome as the model reads it: its text and output as JSON, or why it failed. */
    static ToolResult toolResult(ActionOutcome outcome) {
        if (!outcome.succeeded()) {
            return ToolResult.error(outcome.text() + (outcome.problems().isEmpty() ? ""
                    : ": " + String.join("; ", outcome.problems())));
        }
        String output;
        try {
            output = outcome.output().isEmpty() ? "" : JSON.writeValueAsString(outcome.output());
        } catch (JsonProcessingException e) {
            output = String.valueOf(outcome.output()); // the invoker checked it is JSON-like; this is a fallback
        }
        String text = outcome.text().isEmpty() ? output : output.isEmpty() ? outcome.text()
                : outcome.text() + "\n" + output;
        return new ToolResult(text.isEmpty() ? "done" : text, outcome.output(), List.of(), false);
    }

    private OutgoingMessage reply(IncomingMessage incoming, String text, List<Media> media) {
        return new OutgoingMessage(incoming.conversationId(), text, media, incoming.messageId(), Map.of());
    }

    /** What the person is told when the bot has no running model: what to set up, where, and which secret. */
    private String noProvider() {
        if (settings.provider() == null) {
            return "This bot has no model yet. In the web console's Configuration page (/system/console/configMgr), "
                    + "add an inference provider (for example \"Grambot OpenAI inference\", for OpenAI or a local "
                    + "server, or an Anthropic one) and put its name in this bot's \"provider\" setting.";
        }
        String state = services.providerState(settings.provider());
        if (state == null) {
            return "This bot's model is the inference provider \"" + settings.provider() + "\", which is not set "
                    + "up yet. To add it, open the web console's Configuration page (/system/console/configMgr) and "
                    + "create an instance named \"" + settings.provider() + "\" of the openai-codex plugin "
                    + "(\"Grambot OpenAI inference\"): for a local OpenAI-compatible server set its base URL, "
                    + "for example http://127.0.0.1:11434/v1, and no key is needed; for OpenAI keep the default URL "
                    + "and put your API key in its \"apiKey\" secret. An anthropic instance with its \"apiKey\" works "
                    + "the same way. Or drop a file etc/openai.codex-" + settings.provider() + ".cfg with the line "
                    + "baseUrl=<your server's URL>.";
        }
        return "This bot's model provider \"" + settings.provider() + "\" is set up but not running (" + state
                + "). The reason is shown in the web console.";
    }

    private static String providerFailed(Exception e) {
        if (e instanceof PluginException p && p.retryable()) {
            return "The model provider is not reachable right now; please try again in a moment.";
        }
        return "The model provider could not answer this message. The details are in the log.";
    }
}
