import TestThreads
import Testing

@testable import NetUtil

@Suite("The header's JSON reader", .mayBlock)
struct JSONTests {
    func read(_ text: String) -> [String: JSONValue]? {
        JSONReader.object(from: Array(text.utf8))
    }

    @Test("an object's whole numbers, strings and other values are told apart")
    func kinds() {
        let object = read(
            #" { "a": 12, "b": -3, "c": "x", "d": 1.5, "e": 1e3, "f": true, "g": null, "h": [1, [2]], "i": {"j": 0} } "#
        )
        #expect(object?["a"] == .wholeNumber(12) && object?["b"] == .wholeNumber(-3))
        #expect(object?["c"] == .string("x"))
        #expect(object?["d"] == .otherNumber && object?["e"] == .otherNumber)
        #expect(object?["f"] == .boolean && object?["g"] == .null && object?["h"] == .array)
        #expect(object?["i"] == .object(["j": .wholeNumber(0)]))
        #expect(read("{}") == [:])
    }

    @Test("string escapes are undone, including \\u and surrogate pairs")
    func escapes() {
        let object = read(#"{"s": "q\"b\\s\/n\nt\tu\u00e9p\ud83d\ude00"}"#)
        #expect(object?["s"] == .string("q\"b\\s/n\nt\tué" + "p\u{1F600}"))
        #expect(read(#"{"s": "é"}"#)?["s"] == .string("é"))
    }

    @Test("a number too large for Int is not a whole number")
    func largeNumber() {
        #expect(read(#"{"n": 99999999999999999999}"#)?["n"] == .otherNumber)
    }

    @Test("whole numbers are read digit by digit: Int.min and Int.max fit, one beyond does not")
    func numberEdges() {
        #expect(read(#"{"n": 9223372036854775807}"#)?["n"] == .wholeNumber(.max))
        #expect(read(#"{"n": -9223372036854775808}"#)?["n"] == .wholeNumber(.min))
        #expect(read(#"{"n": 9223372036854775808}"#)?["n"] == .otherNumber)
        #expect(read(#"{"n": -9223372036854775809}"#)?["n"] == .otherNumber)
        #expect(read(#"{"n": -0, "m": 120}"#) == ["n": .wholeNumber(0), "m": .wholeNumber(120)])
    }

    @Test(
        "anything but exactly one valid object is refused",
        arguments: [
            "", "[]", "12", "\"s\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} x",
            "{a:1}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":tru}", "{\"a\":\"\n\"}",
            "{\"a\":\"\\x\"}", "{\"a\":\"\\ud83d\"}", "{\"a\":\"\\u+041\"}", "{\"a\":\"open}",
            "{'a':1}",
        ])
    func refused(text: String) {
        #expect(read(text) == nil)
    }

    @Test("nesting deeper than 32 levels is refused instead of exhausting the stack")
    func deepNesting() {
        let deep =
            "{\"a\":" + String(repeating: "[", count: 40_000)
            + String(repeating: "]", count: 40_000) + "}"
        #expect(read(deep) == nil)
        let fine =
            "{\"a\":" + String(repeating: "[", count: 31) + String(repeating: "]", count: 31) + "}"
        #expect(read(fine)?["a"] == .array)
    }

    @Test("the encoder writes sorted keys and escapes what JSON requires")
    func encoder() {
        #expect(jsonString("a\"b\\c\n\u{1}") == #""a\"b\\c\n\u0001""#)
        let frame = Frame(fields: ["z": .string("é"), "a": .integer(-1)], body: [1, 2])
        #expect(
            String(decoding: frame.header.json, as: UTF8.self)
                == #"{"a":-1,"total_size":2,"z":"é"}"#)
    }
}
