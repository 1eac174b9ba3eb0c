package io.grambot.api.inference;

/** Who said a {@link ChatMessage}. */
public enum Role {
    USER, ASSISTANT, TOOL
}
