package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.Secret;
import io.grambot.api.Secrets;

class SecretStoreTest {

    @TempDir
    Path dir;

    private SecretStore store() throws IOException {
        return new SecretStore(dir.resolve("secrets.json"), new ObjectMapper());
    }

    @Test
    void instancesSeeOnlyTheirOwnSecretsAndTheyPersistOwnerOnly() throws Exception {
        SecretStore store = store();
        Secrets alpha = store.forInstance("alpha");
        Secrets beta = store.forInstance("beta");

        alpha.put("token", Secret.of("alpha-value"));

        assertThat(alpha.get("token")).contains(Secret.of("alpha-value"));
        assertThat(beta.get("token")).isEmpty();
        assertThat(beta.keys()).isEmpty();
        assertThat(store().forInstance("alpha").get("token").map(Secret::reveal)).contains("alpha-value");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets.json"))))
                .isEqualTo("rw-------");
        assertThat(alpha.toString()).contains("token").doesNotContain("alpha-value");
    }

    @Test
    void valuesHoldEveryStoredAndOverriddenSecretUntilTheInstanceIsRemoved() throws Exception {
        SecretStore store = store();
        store.forInstance("alpha").put("token", Secret.of("alpha-value"));
        store.forInstance("beta").put("apiKey", Secret.of("beta-value"));
        store.useOverrides("beta", java.util.Map.of("webhookSecret", "from-the-environment"));

        assertThat(store.values()).containsExactlyInAnyOrder("alpha-value", "beta-value", "from-the-environment");
        assertThat(Files.readString(dir.resolve("secrets.json"))).doesNotContain("from-the-environment");

        store.removeInstance("beta");
        assertThat(store.values()).containsExactly("alpha-value");
    }

    @Test
    void removingTheLastSecretRemovesTheInstanceEntry() throws Exception {
        SecretStore store = store();
        store.forInstance("alpha").put("token", Secret.of("v"));

        store.forInstance("alpha").remove("token");

        assertThat(Files.readString(dir.resolve("secrets.json"))).doesNotContain("alpha");
    }

    @Test
    void aCorruptFileIsReportedWithItsPositionButNotItsContent() throws Exception {
        Files.writeString(dir.resolve("secrets.json"), "{\"alpha\": {\"token\": \"leaky-value\"\n");

        assertThatThrownBy(this::store).hasMessageContaining("secrets.json is not valid JSON at line 2")
                .hasMessageNotContaining("leaky-value");
    }

    @Test
    void secretsPrintMasked() {
        assertThat(Secret.of("hunter2")).hasToString("******");
    }
}
