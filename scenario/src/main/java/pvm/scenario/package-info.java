/**
 * The scenario language of docs/scenario-language.md: a parser ({@link pvm.scenario.ScenarioParser}, producing
 * {@link pvm.scenario.Scenario}s of {@link pvm.scenario.Statement}s), an interpreter that runs them
 * on a booted {@code pvm.kernel.Machine} ({@link pvm.scenario.Interpreter},
 * {@link pvm.scenario.ScenarioRun}), the {@code pvm run} driver ({@link pvm.scenario.ScenarioRunner})
 * and the statement-at-a-time {@link pvm.scenario.Session} of the interactive shell.
 *
 * <p>The parser and the syntax tree depend on {@code pvm.hal.pmap} only (for {@code Prot},
 * {@code MapFlags} and {@code VmError}); only the interpreter side reaches the kernel.
 */
package pvm.scenario;
