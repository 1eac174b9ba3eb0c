package io.grambot.api.inference;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives a streamed answer's text as it arrives. */
@ConsumerType
@FunctionalInterface
public interface StreamListener {

    /** A piece of the answer's text, in order. */
    void onText(String delta);
}
