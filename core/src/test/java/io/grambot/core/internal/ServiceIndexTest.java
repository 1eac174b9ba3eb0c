package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class ServiceIndexTest {

    private final List<String> errors = new ArrayList<>();
    private final Logger log = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] { Logger.class }, (proxy, method, args) -> {
                if (method.getName().equals("error")) {
                    errors.add(String.valueOf(args[0]));
                }
                return method.getReturnType() == boolean.class ? false : null;
            });
    private final ServiceIndex<String> index = new ServiceIndex<>("tool name", log);

    @Test
    void looksUpByKeyAndForgetsWhatLeaves() {
        index.add("search", "brave", null);
        index.add("echo", "echo-1", null);

        assertThat(index.get("search")).isEqualTo("brave");
        assertThat(index.all()).containsOnlyKeys("search", "echo");

        index.remove("brave");
        assertThat(index.get("search")).isNull();
    }

    @Test
    void aRememberedLookupIsNeverAnsweredAfterTheIndexChanged() {
        String key = "search"; // the same string object every time, as a bot passes its setting
        index.add(key, "brave", null);
        assertThat(index.get(key)).isEqualTo("brave");
        assertThat(index.get(key)).isEqualTo("brave");

        index.remove("brave");
        assertThat(index.get(key)).isNull();

        index.add(key, "kagi", null);
        index.add(key, "ddg", null); // refused while kagi holds the key
        assertThat(index.get(key)).isEqualTo("kagi");
        index.remove("kagi");
        assertThat(index.get(key)).as("the next in line takes over").isEqualTo("ddg");
        assertThat(index.get(new String(key))).as("an equal string of another object").isEqualTo("ddg");
    }

    @Test
    void aSecondServiceWithATakenKeyIsRefusedAndReportedThenTakesOverWhenTheFirstLeaves() {
        index.add("search", "first", null);
        index.add("search", "second", null);

        assertThat(index.get("search")).isEqualTo("first");
        assertThat(errors).hasSize(1);
        assertThat(index.conflicts()).singleElement().asString()
                .startsWith("tool name 'search' of an unknown service is already registered by");

        index.remove("first");
        assertThat(index.get("search")).isEqualTo("second");
        assertThat(index.conflicts()).isEmpty();
    }
}
