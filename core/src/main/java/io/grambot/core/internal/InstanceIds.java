package io.grambot.core.internal;

import java.util.regex.Pattern;

/** How instance ids are derived from configuration PIDs and which ids are allowed. */
public final class InstanceIds {

    // an instance id names a directory and appears in service filters: keep it to a portable file name
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private InstanceIds() {}

    /**
     * The instance id of a factory configuration: its name ({@code factoryPid~name}, as created by
     * {@code getFactoryConfiguration} and by configuration files), or the generated suffix of an unnamed one.
     */
    public static String of(String pid, String factoryPid) {
        if (pid.startsWith(factoryPid) && pid.length() > factoryPid.length() + 1) {
            char separator = pid.charAt(factoryPid.length());
            if (separator == '~' || separator == '.') {
                return pid.substring(factoryPid.length() + 1);
            }
        }
        return pid;
    }

    /** Checks an instance id, saying what is wrong with it. */
    static String checkInstanceId(String instanceId) {
        return checkId("instance", instanceId);
    }

    /**
     * Checks an id by the instance id rules, saying what is wrong with it; {@code noun} names what it identifies
     * ({@code bot}: bot ids follow the same rules, since they also name a directory and a configuration).
     */
    public static String checkId(String noun, String id) {
        if (!VALID.matcher(id).matches()) {
            throw new IllegalArgumentException(noun + " id '" + id
                    + "' must start with a letter or digit and contain only letters, digits, '.', '_' and '-' (at most 128)");
        }
        return id;
    }
}
