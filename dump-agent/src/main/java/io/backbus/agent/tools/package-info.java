/**
 * The one way the agent runs an external program ({@code pg_dump}, {@code pg_restore}, {@code psql}; later
 * {@code pg_basebackup}, {@code pg_receivewal}, {@code tar}, hooks): {@link io.backbus.agent.tools.ToolRunner}
 * starts a {@link io.backbus.agent.tools.ToolCommand} with a {@link io.backbus.agent.tools.ChildEnvironment} of its
 * own, drains stderr into a bounded tail from the start, enforces a timeout and kills the whole process tree on
 * timeout or cancel; a failure is a {@link io.backbus.agent.tools.ToolException} carrying the exit code and the
 * stderr tail, with every secret masked.
 */
package io.backbus.agent.tools;
