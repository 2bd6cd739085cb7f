package io.backbus.notifier.web;

import io.backbus.notifier.domain.AlertStatus;
import io.backbus.notifier.domain.FailureAlerts;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Alerts and their delivery state, for operators and tests. */
@RestController
@RequestMapping("/alerts")
class AlertController {

    static final int LIMIT = 200;

    private final FailureAlerts alerts;

    AlertController(FailureAlerts alerts) {
        this.alerts = alerts;
    }

    /** The newest alerts, of one status or all. */
    @GetMapping
    List<AlertView> list(@RequestParam(name = "status", required = false) String status) {
        return alerts.list(parse(status), LIMIT).stream().map(AlertView::of).toList();
    }

    private static AlertStatus parse(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return AlertStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "Parameter 'status' must be one of " + Arrays.toString(AlertStatus.values()));
            problem.setTitle("Invalid parameter");
            problem.setProperty("parameter", "status");
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, e);
        }
    }
}
