package io.backbus.retention.web;

import io.backbus.retention.config.RetentionProperties;
import io.backbus.retention.domain.BackupCatalog;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read access to the catalog, for operators, the CLI and restores. */
@RestController
@RequestMapping("/backups")
class BackupController {

    private final BackupCatalog catalog;
    private final int listLimit;

    BackupController(BackupCatalog catalog, RetentionProperties properties) {
        this.catalog = catalog;
        this.listLimit = properties.listLimit();
    }

    /** Backups of one target, or of all targets, newest first. */
    @GetMapping
    List<BackupView> list(@RequestParam(name = "target", required = false) String target) {
        String filter = target == null || target.isBlank() ? null : target;
        return catalog.list(filter, listLimit).stream().map(BackupView::of).toList();
    }

    @GetMapping("/{id}")
    BackupView get(@PathVariable("id") UUID id) {
        return catalog.find(id).map(BackupView::of).orElseThrow(() -> notFound(id));
    }

    private static ErrorResponseException notFound(UUID id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No backup " + id
                + " in the catalog");
        problem.setTitle("Backup not found");
        problem.setProperty("backupId", id);
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
