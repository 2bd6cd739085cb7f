package io.backbus.agent.tools;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The environment a child process gets: this process's own, minus the variables of the dropped prefixes, plus the
 * variables set here. Secrets (passwords handed over in a variable, or held in a file a variable names) travel only
 * here, never on the command line, and are masked wherever the environment or the tool's output is shown.
 */
public final class ChildEnvironment {

    static final String MASK = "****";

    private final List<String> droppedPrefixes;
    private final Map<String, String> variables;
    private final List<String> secrets;

    private ChildEnvironment(List<String> droppedPrefixes, Map<String, String> variables, List<String> secrets) {
        this.droppedPrefixes = List.copyOf(droppedPrefixes);
        this.variables = Map.copyOf(variables);
        this.secrets = List.copyOf(secrets);
    }

    /** This process's environment, unchanged. */
    public static ChildEnvironment inherited() {
        return new ChildEnvironment(List.of(), Map.of(), List.of());
    }

    /** Without the inherited variables whose names start with {@code prefix} (those set here are kept). */
    public ChildEnvironment dropping(String prefix) {
        List<String> prefixes = new ArrayList<>(droppedPrefixes);
        prefixes.add(prefix);
        return new ChildEnvironment(prefixes, variables, secrets);
    }

    /** With {@code name=value}. */
    public ChildEnvironment with(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(variables);
        all.put(name, value);
        return new ChildEnvironment(droppedPrefixes, all, secrets);
    }

    /** With every entry of {@code entries}. */
    public ChildEnvironment with(Map<String, String> entries) {
        ChildEnvironment result = this;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            result = result.with(e.getKey(), e.getValue());
        }
        return result;
    }

    /** Strings to mask in anything shown of this child (its stderr, its failure, this environment). */
    public ChildEnvironment masking(Collection<String> more) {
        List<String> all = new ArrayList<>(secrets);
        more.stream().filter(s -> s != null && !s.isEmpty()).forEach(all::add);
        return new ChildEnvironment(droppedPrefixes, variables, all);
    }

    public List<String> secrets() {
        return secrets;
    }

    /** Applies this environment to a child's inherited one (a {@link ProcessBuilder#environment()}). */
    public void applyTo(Map<String, String> environment) {
        environment.keySet().removeIf(name -> droppedPrefixes.stream().anyMatch(name::startsWith));
        environment.putAll(variables);
    }

    /** {@code text} with every secret replaced by {@value #MASK}. */
    public String mask(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    /** The variables set, secret values masked: safe to log. */
    @Override
    public String toString() {
        return variables.entrySet().stream().map(e -> e.getKey() + "=" + mask(e.getValue()))
                .collect(Collectors.joining(" ", "[", "]")) + (droppedPrefixes.isEmpty() ? ""
                        : " without inherited " + droppedPrefixes.stream().map(p -> p + "*")
                                .collect(Collectors.joining(", ")));
    }
}
