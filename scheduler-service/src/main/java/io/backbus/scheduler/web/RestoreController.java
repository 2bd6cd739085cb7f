package io.backbus.scheduler.web;

import io.backbus.scheduler.domain.Restore;
import io.backbus.scheduler.domain.RestoreProgressState;
import io.backbus.scheduler.domain.RestoreService;
import io.backbus.web.security.ApiAccess;
import io.backbus.web.security.ApiAudit;
import io.backbus.web.security.ApiRole;
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
@RequestMapping("/restores")
class RestoreController {

    private final RestoreService restores;

    RestoreController(RestoreService restores) {
        this.restores = restores;
    }

    /**
     * Requests a restore; 202 because the restore itself happens later, elsewhere. Operators may restore into a new
     * database; one with {@code clean} or into an existing database ({@code createDatabase: false}) replaces data,
     * so it needs admin.
     */
    @PostMapping
    ResponseEntity<RestoreView> request(@RequestBody RestoreRequest request) {
        if (Boolean.TRUE.equals(request.clean())) {
            ApiAccess.require(ApiRole.ADMIN, "a restore with clean");
        } else if (Boolean.FALSE.equals(request.createDatabase())) {
            ApiAccess.require(ApiRole.ADMIN, "a restore into an existing database");
        }
        Restore restore = restores.request(request.toNewRestore());
        ApiAudit.log("restore.requested", "restore=" + restore.id() + " backup="
                + (restore.backup() == null ? request.backupId() : restore.backup().backupId())
                + " target=" + restore.target() + " destination=" + restore.destination()
                + " clean=" + Boolean.TRUE.equals(request.clean())
                + " createDatabase=" + !Boolean.FALSE.equals(request.createDatabase()));
        var location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(restore.id())
                .toUri();
        return ResponseEntity.accepted().location(location).body(RestoreView.of(restore, RestoreProgressState.NONE));
    }

    @GetMapping("/{id}")
    RestoreView get(@PathVariable UUID id) {
        return RestoreView.of(restores.get(id), restores.progressOf(id));
    }
}
