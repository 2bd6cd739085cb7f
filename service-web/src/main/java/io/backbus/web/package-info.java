/**
 * The HTTP edge the Backbus services share. {@link io.backbus.web.ProblemResponses}: every error as RFC 9457
 * {@code application/problem+json}, on Spring's own {@code ResponseEntityExceptionHandler}.
 * {@link io.backbus.web.SignedUrlGate}: who may fetch an artifact URL, checked before anything is read.
 *
 * <p>API authentication and roles are in {@code io.backbus.web.security} (ADR 0011), beside the gate: the signed
 * artifact paths are left open to it (their URL is their credential).
 */
package io.backbus.web;
