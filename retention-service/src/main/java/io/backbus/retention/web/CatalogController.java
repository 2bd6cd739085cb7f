package io.backbus.retention.web;

import io.backbus.retention.rebuild.CatalogRebuild;
import io.backbus.retention.rebuild.RebuildResult;
import io.backbus.web.security.ApiAudit;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operations on the catalog as a whole (operators and the CLI: {@code backbus catalog rebuild}). */
@RestController
@RequestMapping("/catalog")
class CatalogController {

    private final CatalogRebuild rebuild;

    CatalogController(CatalogRebuild rebuild) {
        this.rebuild = rebuild;
    }

    /**
     * Adds every backup whose manifest is in the bucket and not in the catalog. Object store failures are answered
     * by {@link RetentionProblemResponses} (502/503).
     */
    @PostMapping("/rebuild")
    RebuildResult rebuild() {
        RebuildResult result = rebuild.rebuild();
        ApiAudit.log("catalog.rebuilt", "scanned=" + result.scanned() + " added=" + result.added()
                + " alreadyCataloged=" + result.alreadyCataloged() + " invalid=" + result.invalid().size());
        return result;
    }
}
