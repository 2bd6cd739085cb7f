package io.backbus.agent.domain;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The backup kinds this agent knows: a {@link TargetDumper} per target kind and an {@link ArchiveRestorer} per
 * artifact format. A backup picks the dumper by its target's kind, a restore the restorer by the manifest's format.
 */
public class BackupKinds {

    private final Map<String, TargetDumper> dumpers;
    private final Map<String, ArchiveRestorer> restorers;

    public BackupKinds(List<TargetDumper> dumpers, List<ArchiveRestorer> restorers) {
        this.dumpers = unique(dumpers, TargetDumper::kind, "target kind");
        this.restorers = unique(restorers, ArchiveRestorer::format, "artifact format");
    }

    /** One kind: tests and single-kind agents. */
    public static BackupKinds of(TargetDumper dumper, ArchiveRestorer restorer) {
        return new BackupKinds(dumper == null ? List.of() : List.of(dumper),
                restorer == null ? List.of() : List.of(restorer));
    }

    public Optional<TargetDumper> dumper(String kind) {
        return Optional.ofNullable(dumpers.get(kind));
    }

    public Optional<ArchiveRestorer> restorer(String format) {
        return Optional.ofNullable(format == null ? null : restorers.get(format));
    }

    /** The target kinds, sorted, for error messages. */
    public String kinds() {
        return String.join(", ", dumpers.keySet());
    }

    /** The artifact formats, sorted, for error messages. */
    public String formats() {
        return String.join(", ", restorers.keySet());
    }

    private static <T> Map<String, T> unique(List<T> all, Function<T, String> key, String what) {
        Map<String, List<T>> byKey = all.stream().collect(Collectors.groupingBy(key, TreeMap::new,
                Collectors.toList()));
        byKey.forEach((k, found) -> {
            if (found.size() > 1) {
                throw new IllegalStateException("more than one backup kind handles " + what + " '" + k + "': "
                        + found.stream().map(f -> f.getClass().getName()).toList());
            }
        });
        Map<String, T> one = new TreeMap<>();
        byKey.forEach((k, found) -> one.put(k, found.get(0)));
        return Collections.unmodifiableMap(one);
    }
}
