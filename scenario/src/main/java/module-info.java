/** The scenario language of SCENARIOS.md: parser, interpreter and expectations. Arrives with the address-spaces issue. */
module pvm.scenario {
    requires transitive pvm.kernel;
    exports pvm.scenario;
}
