package io.backbus.scheduler.web;

import io.backbus.scheduler.domain.Restore;
import io.backbus.scheduler.domain.RestoreProgressState;
import io.backbus.scheduler.domain.RestoreService;
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

    /** Requests a restore; 202 because the restore itself happens later, elsewhere. */
    @PostMapping
    ResponseEntity<RestoreView> request(@RequestBody RestoreRequest request) {
        Restore restore = restores.request(request.toNewRestore());
        var location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(restore.id())
                .toUri();
        return ResponseEntity.accepted().location(location).body(RestoreView.of(restore, RestoreProgressState.NONE));
    }

    @GetMapping("/{id}")
    RestoreView get(@PathVariable UUID id) {
        return RestoreView.of(restores.get(id), restores.progressOf(id));
    }
}
