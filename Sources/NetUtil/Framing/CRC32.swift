/// The CRC-32 of `bytes`, as zip, gzip, PNG and Ethernet compute it
/// (CRC-32/IEEE: polynomial 0x04C11DB7, bit-reflected, starting from and
/// finally XORed with 0xFFFFFFFF). `crc32("123456789")` is 0xCBF43926.
///
/// A CRC catches accidental damage: a byte lost, doubled or changed in a
/// buffer or on the way. It is no defence against someone who changes the
/// data on purpose, since they can recompute it; that takes a keyed MAC.
public func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    crcTable.withUnsafeBufferPointer { table in
        bytes.withUnsafeBufferPointer { buffer in
            guard let start = buffer.baseAddress, let table = table.baseAddress else { return }
            // A pointer walk, as in C: a debug build runs `for byte in buffer`
            // as generic code, about four times slower, and answers run to 8 MiB.
            var next = start
            while next < start + buffer.count {
                // One table lookup per byte instead of eight shift-and-XOR steps.
                crc = table[Int((crc ^ UInt32(next.pointee)) & 0xFF)] ^ (crc >> 8)
                next += 1
            }
        }
    }
    return ~crc
}

/// The CRC-32 of `bytes` as 8 lowercase hex digits: `cbf43926`.
public func crc32Text(_ bytes: [UInt8]) -> String {
    let value = crc32(bytes)
    return (0..<4).map { hexDigits(UInt8(truncatingIfNeeded: value >> (24 - 8 * $0))) }.joined()
}

/// For each byte value, the effect of its eight bits on the CRC, worked out once.
private let crcTable: [UInt32] = (0..<256).map { index in
    var entry = UInt32(index)
    for _ in 0..<8 {
        entry = entry & 1 == 1 ? (entry >> 1) ^ 0xEDB8_8320 : entry >> 1
    }
    return entry
}
