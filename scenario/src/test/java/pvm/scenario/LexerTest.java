package pvm.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import pvm.scenario.Token.Kind;

class LexerTest {

    private static List<String> kinds(String line) {
        return Lexer.tokens(line).stream().map(t -> t.kind() + ":" + t.text() + "@" + t.column()).toList();
    }

    @Test
    void splitsEveryKindOfTokenWithOneBasedColumns() {
        assertEquals(List.of("VAR:$a@1", "EQ:=@4", "WORD:parent@6", "WORD:mmap@13", "NUMBER:0@18", "NUMBER:1P@20",
                "WORD:rw@23", "WORD:private@26", "COMMA:,@33", "WORD:anon@34", "EOL:@38"),
                kinds("$a = parent mmap 0 1P rw private,anon"));
    }

    @Test
    void operatorsArrowAndDoubleEquals() {
        assertEquals(List.of("VAR:$a@1", "PLUS:+@3", "NUMBER:0x10@4", "MINUS:-@8", "NUMBER:4@9", "ARROW:->@11",
                "EQEQ:==@14", "EQ:=@17", "EOL:@18"), kinds("$a+0x10-4 -> == ="));
    }

    @Test
    void commentEndsTheLineAndTheEndOfLineSitsAfterTheLastToken() {
        assertEquals(List.of("WORD:spawn@3", "WORD:p@9", "EOL:@10"), kinds("  spawn p   # a comment -> =="));
        assertEquals(List.of("EOL:@1"), kinds("# only a comment"));
        assertEquals(List.of("EOL:@1"), kinds("   \t "));
    }

    @Test
    void numbersSwallowTheirSuffixesAndMalformedTailsForTheParserToJudge() {
        assertEquals(List.of("NUMBER:64K@1", "NUMBER:12abc@5", "NUMBER:0xffP@11", "EOL:@16"), kinds("64K 12abc 0xffP"));
    }

    @Test
    void unknownCharactersBecomeBadTokens() {
        List<Token> t = Lexer.tokens("spawn %p");
        assertEquals(Kind.BAD, t.get(1).kind());
        assertEquals("%", t.get(1).text());
        assertEquals(7, t.get(1).column());
        assertEquals("'%'", t.get(1).describe());
        assertEquals("end of line", t.getLast().describe());
    }

    @Test
    void aLoneDollarIsAVariableTokenWithoutAName() {
        assertEquals(List.of("VAR:$@1", "WORD:a@3", "EOL:@4"), kinds("$ a"));
    }

    @Test
    void contentDropsCommentAndBlanks() {
        assertEquals("spawn p", Lexer.content("  spawn p  # x"));
        assertEquals("", Lexer.content("# x"));
    }
}
