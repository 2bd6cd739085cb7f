package io.backbus.scheduler.web;

import io.backbus.scheduler.domain.Plan;
import io.backbus.scheduler.domain.PlanService;
import io.backbus.scheduler.domain.RestoreTests;
import io.backbus.scheduler.domain.Run;
import io.backbus.web.security.ApiAudit;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/plans")
class PlanController {

    private final PlanService plans;
    private final RestoreTests restoreTests;

    PlanController(PlanService plans, RestoreTests restoreTests) {
        this.plans = plans;
        this.restoreTests = restoreTests;
    }

    @PostMapping
    ResponseEntity<PlanView> create(@RequestBody PlanRequest request) {
        Plan plan = plans.create(request.toNewPlan());
        ApiAudit.log("plan.created", "plan=" + plan.id() + " name=" + plan.name() + " target=" + plan.target()
                + " agent=" + plan.agentId() + " cron=" + plan.cron() + " timeZone=" + plan.timeZone());
        var location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(plan.id()).toUri();
        return ResponseEntity.created(location).body(PlanView.of(plan));
    }

    @GetMapping
    List<PlanView> list() {
        return plans.list().stream().map(PlanView::of).toList();
    }

    @GetMapping("/{id}")
    PlanView get(@PathVariable UUID id) {
        return PlanView.of(plans.get(id));
    }

    /** The plan's restore tests: the last outcome and the newest 50, newest first. */
    @GetMapping("/{id}/restore-tests")
    RestoreTestsView restoreTests(@PathVariable UUID id) {
        return RestoreTestsView.of(restoreTests.history(id));
    }

    /** Runs the plan now; 202 because the backup itself happens later, elsewhere. */
    @PostMapping("/{id}/runs")
    ResponseEntity<RunView> runNow(@PathVariable UUID id) {
        Run run = plans.runNow(id);
        ApiAudit.log("plan.run-now", "plan=" + id + " run=" + run.id() + " target=" + run.target());
        var location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/runs/{id}").buildAndExpand(run.id())
                .toUri();
        return ResponseEntity.accepted().location(location).body(RunView.of(run));
    }
}
