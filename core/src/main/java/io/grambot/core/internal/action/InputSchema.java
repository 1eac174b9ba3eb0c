package io.grambot.core.internal.action;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/**
 * An action's input JSON Schema, compiled once with the validator the core uses for settings (draft 2020-12 unless
 * the schema says otherwise, formats asserted). Its problems name the place in the payload:
 * {@code text: must be at most 3 characters long}, {@code required property 'id' not found}.
 */
final class InputSchema {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> source;
    private final Schema validator;

    /** @throws IllegalArgumentException if the validator cannot use the schema */
    InputSchema(Map<String, Object> source) {
        this.source = source;
        try {
            SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemaRegistryConfig(config));
            this.validator = registry.getSchema(JSON.valueToTree(source));
            this.validator.initializeValidators(); // now, not racing a first validation on another thread
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the input schema cannot be used: " + e.getMessage(), e);
        }
    }

    /** Whether this was compiled from that schema (an action may change its schema while it runs). */
    boolean compiledFrom(Map<String, Object> schema) {
        return source.equals(schema);
    }

    /** What is wrong with a payload, one sentence per problem; empty when it matches. */
    List<String> problems(Map<String, Object> payload) {
        JsonNode document = JSON.valueToTree(payload);
        List<String> problems = new ArrayList<>();
        for (com.networknt.schema.Error error : validator.validate(document)) {
            String location = String.valueOf(error.getInstanceLocation());
            String at = location.isEmpty() || location.equals("/") ? "" : location.substring(1) + ": ";
            problems.add(at + error.getMessage());
        }
        return problems;
    }
}
