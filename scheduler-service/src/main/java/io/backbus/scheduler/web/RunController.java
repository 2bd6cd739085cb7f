package io.backbus.scheduler.web;

import io.backbus.scheduler.domain.Run;
import io.backbus.scheduler.domain.RunProgress;
import io.backbus.scheduler.domain.RunTracker;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/runs")
class RunController {

    private final RunTracker runs;

    RunController(RunTracker runs) {
        this.runs = runs;
    }

    @GetMapping("/{id}")
    RunView get(@PathVariable UUID id) {
        return RunView.of(runs.get(id), runs.progressOf(id));
    }

    /** The newest 100 runs of a plan ({@code ?plan=<id>}), or of all plans; newest first. */
    @GetMapping
    List<RunView> newest(@RequestParam(name = "plan", required = false) UUID planId) {
        List<Run> newest = runs.newest(planId);
        Map<UUID, RunProgress> progress = runs.progressOf(newest);
        return newest.stream().map(r -> RunView.of(r, progress.getOrDefault(r.id(), RunProgress.NONE))).toList();
    }
}
