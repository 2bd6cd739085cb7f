package io.backbus.agent.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The targets this agent serves, by name. */
public class TargetCatalog {

    private final Map<String, DumpTarget> targets;

    public TargetCatalog(List<DumpTarget> targets) {
        Map<String, DumpTarget> byName = new TreeMap<>();
        targets.forEach(t -> byName.put(t.name(), t));
        this.targets = byName;
    }

    public Optional<DumpTarget> find(String name) {
        return Optional.ofNullable(name == null ? null : targets.get(name));
    }

    /** Target names, sorted. */
    public List<String> names() {
        return List.copyOf(targets.keySet());
    }
}
