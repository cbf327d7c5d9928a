package pvm.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the kernel prints at boot ({@code lib_printf} to the console): the lines are kept so a
 * command can show them, and optionally echoed as they come.
 */
public final class BootConsole implements Consumer<String> {

    private final List<String> lines = new ArrayList<>();
    private final Consumer<String> echo;

    public BootConsole(Consumer<String> echo) {
        this.echo = echo;
    }

    @Override
    public synchronized void accept(String line) {
        lines.add(line);
        echo.accept(line);
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
