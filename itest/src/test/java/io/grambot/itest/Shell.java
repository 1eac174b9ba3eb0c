package io.grambot.itest;

import java.lang.reflect.Method;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** Calls a {@code grambot:} shell command as Gogo does, on the service that offers it. */
final class Shell {

    private Shell() {}

    static String call(BundleContext context, String name, Object... args) {
        ServiceReference<?> reference;
        try {
            reference = Eventually.reference(context,
                    "(&(osgi.command.scope=grambot)(osgi.command.function=" + name + "))");
        } catch (Exception e) {
            throw new AssertionError("no service offers grambot:" + name + ": " + e, e);
        }
        try {
            return call(context.getService(reference), name, args);
        } finally {
            context.ungetService(reference);
        }
    }

    static String call(Object commands, String name, Object... args) {
        for (Method method : commands.getClass().getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == args.length
                    && (args.length == 0 || method.getParameterTypes()[0] != int.class || args[0] instanceof Integer)
                    && (args.length < 3 || method.getParameterTypes()[2] != int.class || args[2] instanceof Integer)) {
                try {
                    return (String) method.invoke(commands, args);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError("grambot:" + name + " threw " + e.getCause(), e);
                }
            }
        }
        throw new AssertionError("no command " + name + " with " + args.length + " arguments");
    }
}
