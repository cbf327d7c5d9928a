package pvm.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pvm completion bash|zsh}: the completion script picocli generates from the commands
 * themselves, so it never lags behind them. One script serves both shells: zsh runs it through
 * its bash compatibility ({@code bashcompinit}), which the zsh flavour switches on first.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a completion script for bash or zsh.",
            "bash: source <(pvm completion bash)    zsh: source <(pvm completion zsh)"})
final class CompletionCommand implements Callable<Integer> {

    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    Shell shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine pvm = spec.root().commandLine();
        String script = AutoComplete.bash(pvm.getCommandName(), pvm);
        if (shell == Shell.zsh) {
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        System.out.print(script);
        return ExitStatus.OK;
    }
}
