package io.grambot.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * Gives each test a fresh {@link Grambot}, in fields of that type and in parameters, and deletes the instances and
 * bots it made after the test. It works in a framework started by bnd's tester (osgi-test's bundle context of the
 * test bundle); the framework needs Grambot's core, SCR, ConfigAdmin, Metatype and this test kit.
 *
 * <pre>
 * &#64;ExtendWith(GrambotExtension.class)
 * class EchoPluginTest {
 *     Grambot grambot;
 *
 *     &#64;Test
 *     void answersThroughTheTool() {
 *         grambot.instance("echo", "main", Map.of());
 *         TestChat chat = grambot.chat("bot", "echo");
 *         chat.model().callTool("echo", Map.of("text", "hi")).answer(ScriptedModel::lastToolResult);
 *         assertThat(chat.ask("say hi")).isEqualTo("hi");
 *     }
 * }
 * </pre>
 */
public final class GrambotExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GrambotExtension.class);

    @Override
    public void beforeEach(ExtensionContext extension) throws IllegalAccessException {
        Grambot grambot = grambot(extension);
        for (Object instance : extension.getRequiredTestInstances().getAllInstances()) {
            for (Class<?> type = instance.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (field.getType() == Grambot.class && !Modifier.isStatic(field.getModifiers())
                            && !Modifier.isFinal(field.getModifiers())) {
                        field.setAccessible(true);
                        field.set(instance, grambot);
                    }
                }
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext extension) {
        Grambot grambot = extension.getStore(NAMESPACE).remove(Grambot.class, Grambot.class);
        if (grambot != null) {
            grambot.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == Grambot.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension)
            throws ParameterResolutionException {
        if (extension.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("a Grambot is made per test: ask for it in a test method, "
                    + "a @BeforeEach or @AfterEach method, or a field");
        }
        return grambot(extension);
    }

    /** The current test's Grambot, made on first use. */
    private static Grambot grambot(ExtensionContext extension) {
        return extension.getStore(NAMESPACE).getOrComputeIfAbsent(Grambot.class,
                key -> Grambot.of(BundleContextExtension.getBundleContext(extension)), Grambot.class);
    }
}
