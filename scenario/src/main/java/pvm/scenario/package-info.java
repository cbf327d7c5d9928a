/**
 * The scenario language of SCENARIOS.md: parser, interpreter and expectations. Arrives with the address-spaces issue.
 */
package pvm.scenario;
