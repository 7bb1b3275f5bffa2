import TestThreads
import Testing

@testable import NetUtil

@Suite("MD5", .mayBlock)
struct MD5Tests {
    /// The seven test vectors of RFC 1321, appendix A.5.
    static let vectors: [(String, String)] = [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        (
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "d174ab98d277d9f5a5611c2c9f419d9f"
        ),
        (
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
            "57edf4a22be3c955ac49da2e2107b67a"
        ),
    ]

    @Test("MD5 gives RFC 1321's digest for each of its seven test vectors")
    func rfcVectors() {
        for (message, digest) in Self.vectors {
            #expect(MD5.hex(bytes(message)) == digest, "MD5(\"\(message)\")")
        }
    }

    @Test("MD5 fed in pieces of every size from 1 to 130 bytes gives the one-call digest")
    func piecesGiveTheSameDigest() {
        // 1000 bytes cross many block edges (64) and the padding's 56-byte boundary.
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = MD5.hex(message)
        for pieceSize in 1...130 {
            var hash = MD5()
            var start = 0
            while start < message.count {
                let end = min(start + pieceSize, message.count)
                hash.update(Array(message[start..<end]))
                start = end
            }
            #expect(hash.hexDigest() == whole, "pieces of \(pieceSize)")
        }
    }

    @Test("MD5 of 55, 56, 63, 64 and 65 bytes of \"a\" matches md5sum's")
    func paddingEdges() {
        // md5sum's answers for these lengths (printf 'a%.0s' $(seq N) | md5sum), worked out once.
        let expected = [
            55: "ef1772b6dff9a122358552954ad0df65",
            56: "3b0c8ac703f828b04c6c197006d17218",
            63: "b06521f39153d618550606be297466d5",
            64: "014842d480b571495a4a0363793f7367",
            65: "c743a45e0d2e6a95cb859adae0248435",
        ]
        for (length, digest) in expected {
            #expect(MD5.hex([UInt8](repeating: UInt8(ascii: "a"), count: length)) == digest)
        }
    }

    @Test("digest() leaves the hash able to go on: more bytes give the longer message's MD5")
    func digestDoesNotDisturb() {
        var hash = MD5()
        hash.update(bytes("message "))
        _ = hash.digest()
        hash.update(bytes("digest"))
        #expect(hash.hexDigest() == "f96b697d7cb7938d525a2f31aaf161d0")
    }
}
