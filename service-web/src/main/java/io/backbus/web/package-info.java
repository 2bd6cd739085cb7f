/**
 * The HTTP edge the Backbus services share. {@link io.backbus.web.ProblemResponses}: every error as RFC 9457
 * {@code application/problem+json}, on Spring's own {@code ResponseEntityExceptionHandler}.
 * {@link io.backbus.web.SignedUrlGate}: who may fetch an artifact URL, checked before anything is read.
 *
 * <p>API authentication (Spring Security) will plug in here, beside the gate: a {@code SecurityFilterChain} in
 * {@link io.backbus.web.ServiceWebAutoConfiguration} for the services' APIs, with the signed artifact paths left to
 * the gate (their URL is their credential), and refusals rendered by {@code ProblemResponses}.
 */
package io.backbus.web;
