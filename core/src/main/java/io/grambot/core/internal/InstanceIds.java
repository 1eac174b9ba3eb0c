package io.grambot.core.internal;

import java.util.regex.Pattern;

/** How instance ids are derived from configuration PIDs and which ids are allowed. */
final class InstanceIds {

    // an instance id names a directory and appears in service filters: keep it to a portable file name
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private InstanceIds() {}

    /**
     * The instance id of a factory configuration: its name ({@code factoryPid~name}, as created by
     * {@code getFactoryConfiguration} and by configuration files), or the generated suffix of an unnamed one.
     */
    static String of(String pid, String factoryPid) {
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
        if (!VALID.matcher(instanceId).matches()) {
            throw new IllegalArgumentException("instance id '" + instanceId
                    + "' must start with a letter or digit and contain only letters, digits, '.', '_' and '-' (at most 128)");
        }
        return instanceId;
    }
}
