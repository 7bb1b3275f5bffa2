import Foundation
import TestThreads
import Testing

@testable import NetUtil

@Suite("Frames: encoding and decoding", .mayBlock)
struct FrameTests {
    @Test("crc32 of \"123456789\" is the standard check value cbf43926")
    func crcCheckValue() {
        #expect(crc32(bytes("123456789")) == 0xCBF4_3926)
        #expect(crc32Text(bytes("123456789")) == "cbf43926")
        #expect(crc32Text([]) == "00000000")
    }

    @Test("a frame is a 4-byte big-endian header length, the JSON header, then the body")
    func layout() {
        let frame = Frame(fields: ["exit_status": .integer(0)], body: bytes("hi"))
        let header = #"{"exit_status":0,"total_size":2}"#
        #expect(frame.header.json == bytes(header))
        #expect(frame.prefix == [0, 0, 0, UInt8(header.utf8.count)] + bytes(header))
    }

    @Test("random frames split at every byte offset decode to exactly the frames sent")
    func everyOffset() throws {
        var random = SeededRandom(seed: 1)
        let frames = (0..<6).map { _ in randomFrame(&random) }
        let stream = frames.flatMap { $0.prefix + $0.body }
        for offset in 0...stream.count {
            var decoder = FrameDecoder(maximumBodySize: 1 << 20)
            let decoded =
                try decoder.feed(Array(stream[..<offset])) + decoder.feed(Array(stream[offset...]))
            #expect(decoded == frames, "split at \(offset)")
            #expect(decoder.isBetweenFrames)
        }
    }

    @Test("random frames cut at random points, or fed one byte at a time, decode the same")
    func randomChunks() throws {
        var random = SeededRandom(seed: 2)
        for _ in 0..<50 {
            let frames = (0..<random.next(upTo: 8)).map { _ in randomFrame(&random) }
            let stream = frames.flatMap { $0.prefix + $0.body }
            var decoder = FrameDecoder(maximumBodySize: 1 << 20)
            var decoded: [Frame] = []
            var offset = 0
            while offset < stream.count {
                let end = min(stream.count, offset + 1 + random.next(upTo: 64))
                decoded += try decoder.feed(Array(stream[offset..<end]))
                offset = end
            }
            #expect(decoded == frames)
            var byteByByte = FrameDecoder(maximumBodySize: 1 << 20)
            #expect(try stream.flatMap { try byteByByte.feed([$0]) } == frames)
        }
    }

    @Test("several frames in one chunk all come out of one feed, in order")
    func severalInOneChunk() throws {
        let frames = ["a", "", "three"].map { Frame(body: bytes($0)) }
        var decoder = FrameDecoder(maximumBodySize: 100)
        #expect(try decoder.feed(frames.flatMap { $0.prefix + $0.body }) == frames)
        #expect(try decoder.feed([]) == [])
    }

    @Test("header fields survive the trip: strings with quotes, slashes, newlines and non-ASCII")
    func fieldsRoundTrip() throws {
        let fields: [String: HeaderValue] = [
            "crc32": .string("cbf43926"), "note": .string("a \"b\" /c\\ é\n"),
            "exit_status": .integer(-1),
        ]
        let frame = Frame(fields: fields, body: bytes("x"))
        var decoder = FrameDecoder(maximumBodySize: 100)
        let decoded = try #require(try decoder.feed(frame.prefix + frame.body).first)
        #expect(decoded == frame)
        #expect(decoded.header.string("note") == "a \"b\" /c\\ é\n")
        #expect(decoded.header.integer("exit_status") == -1)
    }

    @Test("each malformed header is its own error, with a line naming the problem")
    func malformedHeaders() {
        func error(_ json: String) -> FrameError? {
            var decoder = FrameDecoder(maximumBodySize: 1000)
            do {
                _ = try decoder.feed(Frame.rawPrefix(bytes(json)))
                return nil
            } catch { return error }
        }
        #expect(error("[1, 2]") == .headerNotObject(#""[1, 2]""#))
        #expect(error("total_size: 3") == .headerNotObject(#""total_size: 3""#))
        #expect(error(#"{"size": 3}"#) == .totalSizeMissing)
        #expect(error(#"{"total_size": -1}"#) == .totalSizeInvalid("-1"))
        #expect(error(#"{"total_size": "3"}"#) == .totalSizeInvalid("a string"))
        #expect(
            error(#"{"total_size": 1.5}"#) == .totalSizeInvalid("a fraction or a number too large"))
        #expect(
            error(#"{"total_size": 1e30}"#) == .totalSizeInvalid("a fraction or a number too large")
        )
        #expect(error(#"{"total_size": true}"#) == .totalSizeInvalid("true or false"))
        #expect(error(#"{"total_size": null}"#) == .totalSizeInvalid("null"))
        #expect(error(#"{"total_size": 1001}"#) == .bodyTooLarge(size: 1001, limit: 1000))
        #expect(
            FrameError.totalSizeInvalid("-1").description
                == "total_size must be a whole number 0 or more, not -1")
        #expect(
            FrameError.bodyTooLarge(size: 1001, limit: 1000).description
                == "total_size 1001 exceeds the limit of 1000 bytes")

        var decoder = FrameDecoder(maximumBodySize: 1000)
        #expect(throws: FrameError.headerNotUTF8) {
            try decoder.feed([0, 0, 0, 2, 0xC3, 0x28])
        }
    }

    @Test("a header length of 0 or over 64 KiB is refused as soon as its 4 bytes are in")
    func badLengths() {
        func error(_ length: [UInt8]) -> FrameError? {
            var decoder = FrameDecoder(maximumBodySize: 1000)
            #expect(decoder.bytesWanted == 4)
            do {
                _ = try decoder.feed(length)
                return nil
            } catch { return error }
        }
        #expect(error([0, 0, 0, 0]) == .emptyHeader)
        #expect(error([0, 1, 0, 1]) == .headerTooLong(length: 65537, limit: 65536))
        #expect(
            error([0xFF, 0xFF, 0xFF, 0xFF]) == .headerTooLong(length: 0xFFFF_FFFF, limit: 65536))
        #expect(
            FrameError.emptyHeader.description
                == "header length 0: a frame needs a header with total_size")
        #expect(
            FrameError.headerTooLong(length: 65537, limit: 65536).description
                == "header length 65537 exceeds 65536")
    }

    @Test("a little-endian length (7B 00 00 00 for 123) is reported as a byte-order mistake")
    func littleEndian() {
        var decoder = FrameDecoder(maximumBodySize: 1000)
        #expect {
            try decoder.feed([0x7B, 0, 0, 0])
        } throws: { error in
            "\(error)" == "header length 2063597568 exceeds 65536 (is the sender little-endian?)"
        }
    }

    @Test("a length made of printable ASCII is reported as text, not a frame, never as byte order")
    func noPrefix() {
        for (text, length) in [("hello world", 1_751_477_356), ("seq 1 500", 1_936_027_936)] {
            var decoder = FrameDecoder(maximumBodySize: 1000)
            #expect {
                try decoder.feed(bytes(text))
            } throws: { error in
                "\(error)"
                    == "header length \(length) exceeds 65536: its 4 bytes are the text "
                    + "\(quoted(bytes(String(text.prefix(4))))); this looks like text, not a frame "
                    + "(does the sender frame its messages?)"
            }
        }
        // Text whose bytes, swapped, make a small number is still text, not byte order.
        #expect(
            FrameError.headerTooLong(length: 0x4142_4344, limit: 0x4443_4241).description
                == #"header length 1094861636 exceeds 1145258561: its 4 bytes are the text "ABCD"; "#
                + "this looks like text, not a frame (does the sender frame its messages?)")
    }

    @Test(
        "a length followed by text, not by a header's {, is reported as text, even when its bytes swapped are small"
    )
    func textAfterLength() {
        // Lesson 04's server quoting a frame back: `"`, 0, 0, 0, then the frame's own bytes.
        let quotedBack = [UInt8(ascii: "\"")] + Frame(body: bytes("seq 1 3")).prefix
        var decoder = FrameDecoder(maximumBodySize: 1000)
        #expect {
            try decoder.feed(quotedBack)
        } throws: { error in
            "\(error)"
                == #"header length 570425344 exceeds 65536: the bytes after it are "\x10{\"total_size\":7"; "#
                + "this looks like text, not a frame (does the sender frame its messages?)"
        }
        // The same length followed by "{" is a little-endian header length.
        var littleEndian = FrameDecoder(maximumBodySize: 1000)
        #expect {
            try littleEndian.feed([0x22, 0, 0, 0] + bytes(#"{"total_size":0}"#))
        } throws: { error in
            "\(error)" == "header length 570425344 exceeds 65536 (is the sender little-endian?)"
        }
    }

    @Test("a body claimed at 1 GiB gets a 1 MiB buffer that grows only as its bytes arrive")
    func largeBodyGrows() throws {
        var decoder = FrameDecoder(maximumBodySize: 1 << 30)
        #expect(try decoder.feed(Frame.rawPrefix(bytes(#"{"total_size":1073741824}"#))) == [])
        #expect(decoder.isReadingBody && decoder.bytesWanted == 1 << 30)
        #expect(decoder.partBufferSize == 1 << 20)
        _ = try decoder.feed([UInt8](repeating: 7, count: (1 << 20) + 1))
        #expect(decoder.partBufferSize == 2 << 20)
        #expect(decoder.bytesWanted == (1 << 30) - (1 << 20) - 1)
        // A small body still gets exactly its own size.
        var small = FrameDecoder(maximumBodySize: 1000)
        let frames = try small.feed(Frame.rawPrefix(bytes(#"{"total_size":3}"#)) + bytes("abc"))
        #expect(frames.map(\.body) == [bytes("abc")])
    }

    @Test("a claimed 1 TiB body is refused at its header, without allocating it")
    func hugeBodyNotAllocated() {
        var decoder = FrameDecoder(maximumBodySize: 1 << 20)
        // Allocating 1 TiB would crash the test process; an error proves it never happened.
        #expect(throws: FrameError.bodyTooLarge(size: 1 << 40, limit: 1 << 20)) {
            try decoder.feed(Frame.rawPrefix(bytes(#"{"total_size": 1099511627776}"#)))
        }
        #expect(decoder.bytesWanted == 0)
    }

    @Test("an end part-way through the length, header or body says where and how far it got")
    func endedPartWay() throws {
        let frame = Frame(body: bytes("hello"))
        let stream = frame.prefix + frame.body
        let headerLength = frame.header.json.count
        let cases: [(Int, FrameError?)] = [
            (0, nil),
            (2, .endedPartWay(part: .length, received: 2, expected: 4)),
            (7, .endedPartWay(part: .header, received: 3, expected: headerLength)),
            (stream.count - 1, .endedPartWay(part: .body, received: 4, expected: 5)),
            (stream.count, nil),
        ]
        for (count, expected) in cases {
            var decoder = FrameDecoder(maximumBodySize: 100)
            _ = try decoder.feed(Array(stream.prefix(count)))
            #expect(throws: Never.self, "cut at \(count)") {
                if expected == nil { try decoder.endOfInput() }
            }
            if let expected {
                #expect(throws: expected) { try decoder.endOfInput() }
            }
        }
        #expect(
            FrameError.endedPartWay(part: .header, received: 3, expected: 16).description
                == "the connection ended part-way through the header: 3 of 16 bytes")
    }
}

extension Frame {
    /// A length prefix and a header written by hand, for malformed cases.
    static func rawPrefix(_ header: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt32(header.count).bigEndian, Array.init) + header
    }
}

/// A frame with a random body (0 to 300 bytes, any values) and random extra fields.
func randomFrame(_ random: inout SeededRandom) -> Frame {
    let body = (0..<random.next(upTo: 301)).map { _ in UInt8(random.next(upTo: 256)) }
    var fields: [String: HeaderValue] = [:]
    for index in 0..<random.next(upTo: 4) {
        fields["f\(index)"] =
            random.next(upTo: 2) == 0
            ? .integer(random.next(upTo: 1_000_000) - 500_000)
            : .string(String(repeating: "é\"x", count: random.next(upTo: 5)))
    }
    return Frame(fields: fields, body: body)
}

/// A small deterministic random generator (SplitMix64), so a failure can be replayed.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(upTo bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
