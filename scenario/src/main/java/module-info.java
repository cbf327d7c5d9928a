/** The scenario language of SCENARIOS.md: parser, interpreter and expectations. Arrives with the address-spaces issue. Until then it exports nothing. */
module pvm.scenario {
    requires transitive pvm.kernel;
}
