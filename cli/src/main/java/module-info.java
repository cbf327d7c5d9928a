/** The {@code pvm} command: run scenarios, boot and inspect machines, replay allocation traces. */
module pvm.cli {
    requires pvm.scenario;
    requires info.picocli;
    requires org.jline;

    opens pvm.cli to info.picocli;
}
