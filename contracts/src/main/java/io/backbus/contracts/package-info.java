/**
 * The public contract of Backbus: event records, topic names, CloudEvents types and header names.
 *
 * <p>Other systems subscribe from the JSON Schemas in {@code schemas/} (and {@code docs/asyncapi.yaml}), not from
 * these classes. Changes are additive; a breaking change is a new {@code ce_type} version. Events never carry
 * secrets: a target is referenced by name and resolved to credentials by the agent that owns it.
 */
package io.backbus.contracts;
