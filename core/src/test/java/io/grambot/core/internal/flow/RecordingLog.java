package io.grambot.core.internal.flow;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;

/** An OSGi {@link Logger} for unit tests that keeps the formatted warnings and errors, each with its level. */
public final class RecordingLog {

    public final List<String> lines = new CopyOnWriteArrayList<>();
    public final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] { Logger.class }, (proxy, method, args) -> {
                if (method.getReturnType() == boolean.class) {
                    return true;
                }
                if (method.getReturnType() == String.class) {
                    return "test";
                }
                if ((method.getName().equals("warn") || method.getName().equals("error")) && args != null
                        && args[0] instanceof String format) {
                    lines.add(method.getName().toUpperCase() + " " + format(format, args));
                }
                return null;
            });

    private static String format(String format, Object[] args) {
        Object[] values = args.length == 2 && args[1] instanceof Object[] a ? a
                : java.util.Arrays.copyOfRange(args, 1, args.length);
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (Object value : values) {
            int at = format.indexOf("{}", from);
            if (at < 0) {
                break;
            }
            out.append(format, from, at).append(value);
            from = at + 2;
        }
        return out.append(format.substring(from)).toString();
    }
}
