package pvm.scenario;

import io.vavr.control.Either;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the text files pvm is given (scenarios, allocation traces) as UTF-8, at most
 * {@link #MAX_BYTES} of them, so that neither {@code /dev/zero} nor a file of gigabytes can hang
 * pvm or exhaust its heap, and says in one line what is wrong with one that is not text: the byte
 * that is not UTF-8, its offset and its line. A byte-order mark some editors put at the start of
 * UTF-8 text is skipped: it says nothing in UTF-8, and a parser would see an invisible bad token.
 */
public final class TextFile {

    /** The longest file pvm reads: 16 MiB, some hundred thousand statements. */
    public static final int MAX_BYTES = 16 << 20;

    private TextFile() {
    }

    /** The text of {@code file}, or pvm's one line saying why it cannot be read. */
    public static Either<String, String> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            return Either.left(ScenarioRunner.cannotRead(file, e));
        }
    }

    /**
     * The text on {@code in} (standard input, say), called {@code name} in the message that says
     * why it cannot be read.
     */
    public static Either<String, String> read(InputStream in, String name) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            return Either.left("pvm: cannot read " + name + ": longer than " + (MAX_BYTES >> 20)
                    + " MiB, the most pvm reads (is it a scenario or a trace?)");
        }
        return decode(bytes).mapLeft(why -> "pvm: cannot read " + name + ": " + why);
    }

    /** The byte-order mark, U+FEFF, as a character. */
    static final char BYTE_ORDER_MARK = '\uFEFF';

    /** The bytes as UTF-8 text without a leading byte-order mark, or where they stop being UTF-8. */
    static Either<String, String> decode(byte[] bytes) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = utf8.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            return Either.left(String.format("not UTF-8 text: byte 0x%02x at offset %d (line %d) does not decode", bytes[at] & 0xff,
                    at, line));
        }
        utf8.flush(out);
        out.flip();
        if (out.hasRemaining() && out.get(0) == BYTE_ORDER_MARK) {
            out.position(1);
        }
        return Either.right(out.toString());
    }
}
