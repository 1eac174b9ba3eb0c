package io.grambot.itest;

import java.lang.reflect.Method;

import org.osgi.framework.BundleContext;

/** Calls a {@code grambot:} shell command as Gogo does, on the service that offers it. */
final class Shell {

    private Shell() {}

    static String call(BundleContext context, String name, Object... args) throws Exception {
        Object commands = context.getService(Eventually.reference(context,
                "(&(osgi.command.scope=grambot)(osgi.command.function=" + name + "))"));
        return call(commands, name, args);
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
