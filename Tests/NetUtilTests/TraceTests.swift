import TestThreads
import Testing

@testable import NetUtil

@Suite("Trace lines", .mayBlock)
struct TraceTests {
    @Test("payloads show printable ASCII as is and escape everything else")
    func escapes() {
        #expect(quoted(bytes("hello")) == "\"hello\"")
        #expect(
            quoted([0x0A, 0x0D, 0x09, 0x5C, 0x22, 0x00, 0xFF, 0x7F]) == #""\n\r\t\\\"\x00\xff\x7f""#
        )
        #expect(quoted(bytes("é")) == #""\xc3\xa9""#)
    }

    @Test("a long payload is cut after 64 bytes, marked by ... after the quote")
    func longPayload() {
        let text = quoted(Array(repeating: UInt8(ascii: "a"), count: 100))
        #expect(text == "\"" + String(repeating: "a", count: 64) + "\"...")
        #expect(quoted(Array(repeating: UInt8(ascii: "a"), count: 64)).hasSuffix("\"") == true)
    }

    @Test("a recv line says how many bytes came and how many are still queued")
    func receiveLines() {
        #expect(
            describeReceive(size: 2, bytes: bytes("he"), queued: 3)
                == "recv(2) -> \"he\" (2 bytes), 3 still queued")
        #expect(
            describeReceive(size: 1, bytes: bytes("o"), queued: 0)
                == "recv(1) -> \"o\" (1 byte), 0 still queued")
        #expect(
            describeReceive(size: 1024, bytes: [], queued: 0)
                == "recv(1024) -> \"\" (0 bytes: peer closed)")
    }

    @Test("durations print with two decimals: 20.01 s, 0.42 ms")
    func durations() {
        #expect(secondsText(.milliseconds(20_010)) == "20.01 s")
        #expect(secondsText(.milliseconds(2_004)) == "2.00 s")
        #expect(secondsText(.milliseconds(506)) == "0.51 s")
        #expect(millisecondsText(.microseconds(420)) == "0.42 ms")
        #expect(millisecondsText(.microseconds(12_345)) == "12.35 ms")
    }
}
