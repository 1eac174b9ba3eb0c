package io.grambot.core.internal.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.Test;

/** The commands' usage texts, which Gogo's {@code help grambot:<command>} prints. */
class ManagementCommandsTest {

    @Test
    void everyCommandAndEachOfItsParametersHasAUsageText() {
        for (Class<?> commands : List.of(ManagementCommands.class, GrambotCommands.class)) {
            List<Method> methods = Arrays.stream(commands.getDeclaredMethods())
                    .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())).toList();
            assertThat(methods).as(commands.getSimpleName()).isNotEmpty();
            for (Method method : methods) {
                String what = commands.getSimpleName() + "." + method.getName();
                assertThat(method.getAnnotation(Descriptor.class)).as(what).isNotNull();
                assertThat(method.getAnnotation(Descriptor.class).value()).as(what).isNotBlank();
                for (Parameter parameter : method.getParameters()) {
                    assertThat(parameter.getAnnotation(Descriptor.class)).as(what + " " + parameter).isNotNull();
                }
            }
        }
        assertThat(Arrays.stream(ManagementCommands.class.getDeclaredMethods()).map(Method::getName))
                .contains("instances", "enable", "disable", "events", "bots", "health");
    }
}
