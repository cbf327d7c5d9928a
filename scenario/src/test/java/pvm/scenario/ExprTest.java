package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExprTest {

    private static Expr parse(String text) {
        var store = (Statement.Store) ScenarioParser.parseLine("t", 1, "p store 32 " + text + " 0").get().get().statement();
        return store.address();
    }

    @Test
    void pagesResolveAgainstTheTargetsPageSize() {
        Expr e = parse("3P");
        assertEquals(12288L, e.evaluate(4096, Map.of()).get());
        assertEquals(1536L, e.evaluate(512, Map.of()).get());
        assertTrue(e.constant().isEmpty(), "a page count is not a constant: it depends on the target");
    }

    @Test
    void sumsAndDifferencesGoLeftToRight() {
        Expr e = parse("$a+0x10-4");
        assertEquals(0x4000000cL, e.evaluate(4096, Map.of("a", 0x40000000L)).get());
        assertEquals("$a+0x10-4", e.text());
        assertEquals(0x40001000L, parse("$a+1P").evaluate(4096, Map.of("a", 0x40000000L)).get());
        assertEquals(6L, parse("10-2-2").evaluate(4096, Map.of()).get(), "a difference is left associative");
        assertEquals(6L, parse("10-2-2").constant().getAsLong());
    }

    @Test
    void binarySuffixes() {
        assertEquals(65536L, parse("64K").constant().getAsLong());
        assertEquals(128L << 20, parse("128M").constant().getAsLong());
        assertEquals(4L << 30, parse("4G").constant().getAsLong());
        assertEquals(0x10L << 10, parse("0x10K").constant().getAsLong());
        assertEquals(0x1000L, parse("0x1000").constant().getAsLong());
        assertEquals(0xabcdefL, parse("0XaBcDeF").constant().getAsLong());
        assertEquals(10L, parse("010").constant().getAsLong(), "a leading zero is still decimal");
    }

    @Test
    void anUnboundVariableSaysWhich() {
        var r = parse("$b+1").evaluate(4096, Map.of("a", 1L));
        assertTrue(r.isLeft());
        assertTrue(r.getLeft().contains("$b"), r.getLeft());
    }

    @Test
    void overflowIsAnErrorNotAWrap() {
        assertTrue(parse("$a+1").evaluate(4096, Map.of("a", Long.MAX_VALUE)).isLeft());
        assertTrue(parse("0x7fffffffffffffffP").evaluate(4096, Map.of()).isLeft());
    }

    @Test
    void aSumOfTenThousandTermsIsALoopNotARecursion() {
        String terms = "$a" + "+1".repeat(10_000) + "-1P";
        Expr e = parse(terms);
        assertEquals(0x40000000L + 10_000 - 4096, e.evaluate(4096, Map.of("a", 0x40000000L)).get());
        assertEquals(terms, e.text());
        assertEquals(10_001L, parse("1" + "+1".repeat(10_000)).constant().getAsLong());
        assertTrue(parse("1" + "+0x7fffffffffffffff".repeat(10_000)).evaluate(4096, Map.of()).isLeft(), "overflow is still an error");
    }
}
