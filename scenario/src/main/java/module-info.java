/**
 * The scenario language of docs/scenario-language.md: the parser, the interpreter that runs scenarios on booted
 * machines, {@code pvm run}'s driver and the interactive shell's session.
 */
module pvm.scenario {
    requires transitive pvm.kernel;

    exports pvm.scenario;
}
