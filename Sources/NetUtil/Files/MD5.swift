/// MD5 (RFC 1321), fed in pieces of any size: a file goes through it one
/// buffer at a time, and nothing is allocated per block.
///
///     var hash = MD5()
///     hash.update(bytes)          // as often as there are pieces
///     hash.hexDigest()            // "900150983cd24fb0d6963f7d28e17f72" for "abc"
///
/// MD5 catches accidental damage (a byte lost, changed or doubled on the
/// way or on the disk). It is broken as a defence against someone who
/// changes a file on purpose: they can make two files with the same MD5,
/// and a hash sent next to the data can simply be replaced with it.
public struct MD5: Sendable {
    /// The four 32-bit words the blocks are folded into, from RFC 1321's starting values.
    private var state = MD5State(a: 0x6745_2301, b: 0xefcd_ab89, c: 0x98ba_dcfe, d: 0x1032_5476)
    /// Bytes of an unfinished 64-byte block, kept until the next piece completes it.
    private var pending = [UInt8](repeating: 0, count: 64)
    private var pendingCount = 0
    /// Every byte fed so far; the padding ends with it, in bits.
    public private(set) var byteCount: UInt64 = 0

    public init() {}

    /// Feeds `bytes`.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds the bytes `buffer` points to, memory bound to `UInt8` (an
    /// array's bytes, a `TransferBuffer`). Whole blocks are hashed straight
    /// from the caller's memory; only the ragged ends are copied.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard var start = buffer.baseAddress, !buffer.isEmpty else { return }
        var left = buffer.count
        byteCount &+= UInt64(left)
        if pendingCount > 0 {
            let taken = min(64 - pendingCount, left)
            pending.withUnsafeMutableBytes {
                ($0.baseAddress! + pendingCount).copyMemory(from: start, byteCount: taken)
            }
            pendingCount += taken
            start += taken
            left -= taken
            guard pendingCount == 64 else { return }
            pending.withUnsafeBytes { state.compress(blocks: $0.baseAddress!, count: 1) }
            pendingCount = 0
        }
        let wholeBlocks = left / 64
        state.compress(blocks: start, count: wholeBlocks)
        start += wholeBlocks * 64
        left -= wholeBlocks * 64
        if left > 0 {
            pending.withUnsafeMutableBytes {
                $0.baseAddress!.copyMemory(from: start, byteCount: left)
            }
            pendingCount = left
        }
    }

    /// The 16-byte digest of everything fed so far. Feeding more afterwards
    /// continues from before the padding, so it never disturbs the hash.
    public func digest() -> [UInt8] {
        var copy = self
        // Padding: one 1 bit, zeros up to 56 bytes into a block, then the
        // message length in bits as a little-endian 64-bit number.
        let bitCount = byteCount &* 8
        let padLength = pendingCount < 56 ? 56 - pendingCount : 120 - pendingCount
        copy.update([0x80] + [UInt8](repeating: 0, count: padLength - 1))
        copy.update(withUnsafeBytes(of: bitCount.littleEndian, Array.init))
        let words = [copy.state.a, copy.state.b, copy.state.c, copy.state.d]
        return words.flatMap {
            withUnsafeBytes(of: $0.littleEndian, Array.init)
        }
    }

    /// The digest as 32 lowercase hex digits, as `md5sum` prints it.
    public func hexDigest() -> String {
        digest().map(hexDigits).joined()
    }

    /// The MD5 of `bytes` in one call, as lowercase hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        var hash = MD5()
        hash.update(bytes)
        return hash.hexDigest()
    }

}

/// MD5's running state: four words, changed by every 64-byte block.
private struct MD5State {
    var a: UInt32
    var b: UInt32
    var c: UInt32
    var d: UInt32

    /// Runs the 64 steps over each 64-byte block: four rounds of sixteen, each
    /// step mixing one little-endian word of the block into the state.
    mutating func compress(blocks: UnsafeRawPointer, count: Int) {
        var (a, b, c, d) = (self.a, self.b, self.c, self.d)
        for block in 0..<count {
            // Word i is bytes 4i to 4i+3, little-endian: the first byte is the lowest.
            // Spelled out byte by byte, it reads the same on any machine, and
            // a debug build runs it twice as fast as a generic unaligned load.
            let bytes = (blocks + block * 64).assumingMemoryBound(to: UInt8.self)
            func x(_ index: Int) -> UInt32 {
                let w = bytes + 4 * index
                return UInt32(w[0]) | UInt32(w[1]) << 8 | UInt32(w[2]) << 16 | UInt32(w[3]) << 24
            }
            let (oldA, oldB, oldC, oldD) = (a, b, c, d)
            // Round 1: F(b, c, d) = (b & c) | (~b & d)
            a = step(a, b, (b & c) | (~b & d), x(0), 0xd76a_a478, 7)
            d = step(d, a, (a & b) | (~a & c), x(1), 0xe8c7_b756, 12)
            c = step(c, d, (d & a) | (~d & b), x(2), 0x2420_70db, 17)
            b = step(b, c, (c & d) | (~c & a), x(3), 0xc1bd_ceee, 22)
            a = step(a, b, (b & c) | (~b & d), x(4), 0xf57c_0faf, 7)
            d = step(d, a, (a & b) | (~a & c), x(5), 0x4787_c62a, 12)
            c = step(c, d, (d & a) | (~d & b), x(6), 0xa830_4613, 17)
            b = step(b, c, (c & d) | (~c & a), x(7), 0xfd46_9501, 22)
            a = step(a, b, (b & c) | (~b & d), x(8), 0x6980_98d8, 7)
            d = step(d, a, (a & b) | (~a & c), x(9), 0x8b44_f7af, 12)
            c = step(c, d, (d & a) | (~d & b), x(10), 0xffff_5bb1, 17)
            b = step(b, c, (c & d) | (~c & a), x(11), 0x895c_d7be, 22)
            a = step(a, b, (b & c) | (~b & d), x(12), 0x6b90_1122, 7)
            d = step(d, a, (a & b) | (~a & c), x(13), 0xfd98_7193, 12)
            c = step(c, d, (d & a) | (~d & b), x(14), 0xa679_438e, 17)
            b = step(b, c, (c & d) | (~c & a), x(15), 0x49b4_0821, 22)
            // Round 2: G(b, c, d) = (b & d) | (c & ~d)
            a = step(a, b, (b & d) | (c & ~d), x(1), 0xf61e_2562, 5)
            d = step(d, a, (a & c) | (b & ~c), x(6), 0xc040_b340, 9)
            c = step(c, d, (d & b) | (a & ~b), x(11), 0x265e_5a51, 14)
            b = step(b, c, (c & a) | (d & ~a), x(0), 0xe9b6_c7aa, 20)
            a = step(a, b, (b & d) | (c & ~d), x(5), 0xd62f_105d, 5)
            d = step(d, a, (a & c) | (b & ~c), x(10), 0x0244_1453, 9)
            c = step(c, d, (d & b) | (a & ~b), x(15), 0xd8a1_e681, 14)
            b = step(b, c, (c & a) | (d & ~a), x(4), 0xe7d3_fbc8, 20)
            a = step(a, b, (b & d) | (c & ~d), x(9), 0x21e1_cde6, 5)
            d = step(d, a, (a & c) | (b & ~c), x(14), 0xc337_07d6, 9)
            c = step(c, d, (d & b) | (a & ~b), x(3), 0xf4d5_0d87, 14)
            b = step(b, c, (c & a) | (d & ~a), x(8), 0x455a_14ed, 20)
            a = step(a, b, (b & d) | (c & ~d), x(13), 0xa9e3_e905, 5)
            d = step(d, a, (a & c) | (b & ~c), x(2), 0xfcef_a3f8, 9)
            c = step(c, d, (d & b) | (a & ~b), x(7), 0x676f_02d9, 14)
            b = step(b, c, (c & a) | (d & ~a), x(12), 0x8d2a_4c8a, 20)
            // Round 3: H(b, c, d) = b ^ c ^ d
            a = step(a, b, b ^ c ^ d, x(5), 0xfffa_3942, 4)
            d = step(d, a, a ^ b ^ c, x(8), 0x8771_f681, 11)
            c = step(c, d, d ^ a ^ b, x(11), 0x6d9d_6122, 16)
            b = step(b, c, c ^ d ^ a, x(14), 0xfde5_380c, 23)
            a = step(a, b, b ^ c ^ d, x(1), 0xa4be_ea44, 4)
            d = step(d, a, a ^ b ^ c, x(4), 0x4bde_cfa9, 11)
            c = step(c, d, d ^ a ^ b, x(7), 0xf6bb_4b60, 16)
            b = step(b, c, c ^ d ^ a, x(10), 0xbebf_bc70, 23)
            a = step(a, b, b ^ c ^ d, x(13), 0x289b_7ec6, 4)
            d = step(d, a, a ^ b ^ c, x(0), 0xeaa1_27fa, 11)
            c = step(c, d, d ^ a ^ b, x(3), 0xd4ef_3085, 16)
            b = step(b, c, c ^ d ^ a, x(6), 0x0488_1d05, 23)
            a = step(a, b, b ^ c ^ d, x(9), 0xd9d4_d039, 4)
            d = step(d, a, a ^ b ^ c, x(12), 0xe6db_99e5, 11)
            c = step(c, d, d ^ a ^ b, x(15), 0x1fa2_7cf8, 16)
            b = step(b, c, c ^ d ^ a, x(2), 0xc4ac_5665, 23)
            // Round 4: I(b, c, d) = c ^ (b | ~d)
            a = step(a, b, c ^ (b | ~d), x(0), 0xf429_2244, 6)
            d = step(d, a, b ^ (a | ~c), x(7), 0x432a_ff97, 10)
            c = step(c, d, a ^ (d | ~b), x(14), 0xab94_23a7, 15)
            b = step(b, c, d ^ (c | ~a), x(5), 0xfc93_a039, 21)
            a = step(a, b, c ^ (b | ~d), x(12), 0x655b_59c3, 6)
            d = step(d, a, b ^ (a | ~c), x(3), 0x8f0c_cc92, 10)
            c = step(c, d, a ^ (d | ~b), x(10), 0xffef_f47d, 15)
            b = step(b, c, d ^ (c | ~a), x(1), 0x8584_5dd1, 21)
            a = step(a, b, c ^ (b | ~d), x(8), 0x6fa8_7e4f, 6)
            d = step(d, a, b ^ (a | ~c), x(15), 0xfe2c_e6e0, 10)
            c = step(c, d, a ^ (d | ~b), x(6), 0xa301_4314, 15)
            b = step(b, c, d ^ (c | ~a), x(13), 0x4e08_11a1, 21)
            a = step(a, b, c ^ (b | ~d), x(4), 0xf753_7e82, 6)
            d = step(d, a, b ^ (a | ~c), x(11), 0xbd3a_f235, 10)
            c = step(c, d, a ^ (d | ~b), x(2), 0x2ad7_d2bb, 15)
            b = step(b, c, d ^ (c | ~a), x(9), 0xeb86_d391, 21)
            a &+= oldA
            b &+= oldB
            c &+= oldC
            d &+= oldD
        }
        (self.a, self.b, self.c, self.d) = (a, b, c, d)
    }
}

/// One MD5 step: `b + ((a + f + word + constant) <<< shift)`, all modulo 2^32.
/// The constants are RFC 1321's table T: the integer part of 2^32 × |sin(i)|.
/// `@_transparent` inlines it even in a debug build, where 64 calls per
/// block would otherwise take a third of the time.
@_transparent
private func step(
    _ a: UInt32, _ b: UInt32, _ f: UInt32, _ word: UInt32, _ constant: UInt32, _ shift: UInt32
) -> UInt32 {
    let sum = a &+ f &+ word &+ constant
    return b &+ (sum << shift | sum >> (32 - shift))
}
