package pvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pvm.hal.pmap.Architectures;
import pvm.hal.pmap.Prot;
import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/** {@code pvm run --files DIR} serves the files in DIR and nothing a symbolic link there leads to. */
class HostDirectoryLinksTest {

    @Test
    void symbolicLinksAreNeitherListedNorMapped(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("files"));
        Path secret = Files.writeString(tmp.resolve("secret"), "outside DIR");
        Files.writeString(dir.resolve("plain"), "inside DIR");
        Files.createSymbolicLink(dir.resolve("out"), secret);
        Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("plain"));
        Machine machine = Machine.bootDefault(Architectures.named("i686").get());
        machine.attachHostDirectory(dir).get();

        assertEquals(java.util.List.of("plain"), machine.fileNames());
        Process p = machine.spawn("p").get();
        for (String link : new String[] {"out", "alias"}) {
            var mapped = machine.mmap(p, VirtAddr.NULL, Size.of(4096), Prot.READ, MemorySyscalls.MAP_SHARED_REQUEST, link, 0);
            assertEquals("ENOENT", mapped.getLeft().errno(), link);
            assertTrue(machine.readFile(link, 0, 4).isLeft(), link);
        }
        assertEquals("inside DIR", new String(machine.readFile("plain", 0, 10).get(), java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(machine.verify().isEmpty(), machine.verify()::toString);
    }
}
