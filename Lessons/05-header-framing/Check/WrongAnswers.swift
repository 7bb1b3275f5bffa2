import ExerciseKit
import NetUtil

/// Reads the length in the machine's own byte order (little-endian on x86 and ARM).
func takeFramesNativeOrder(from buffer: inout [UInt8], maximumLength: Int) throws -> [[UInt8]] {
    var frames: [[UInt8]] = []
    while buffer.count >= 4 {
        let length = Int(buffer.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
        guard length <= maximumLength else { throw ExerciseError.tooLong(length: length) }
        guard buffer.count >= 4 + length else { break }
        frames.append(Array(buffer[4..<4 + length]))
        buffer.removeFirst(4 + length)
    }
    return frames
}

/// Takes whatever follows a header as the whole body: one chunk, one frame.
func takeFramesBodyAssumedWhole(from buffer: inout [UInt8], maximumLength: Int) throws
    -> [[UInt8]]
{
    guard buffer.count >= 4 else { return [] }
    let length = buffer[..<4].reduce(0) { $0 << 8 | Int($1) }
    guard length <= maximumLength else { throw ExerciseError.tooLong(length: length) }
    let body = Array(buffer[4...].prefix(length))
    buffer = []
    return [body]
}

/// Decodes the first complete frame and empties the buffer, losing the next frame's bytes.
func takeFramesDropsRest(from buffer: inout [UInt8], maximumLength: Int) throws -> [[UInt8]] {
    guard buffer.count >= 4 else { return [] }
    let length = buffer[..<4].reduce(0) { $0 << 8 | Int($1) }
    guard length <= maximumLength else { throw ExerciseError.tooLong(length: length) }
    guard buffer.count >= 4 + length else { return [] }
    let body = Array(buffer[4..<4 + length])
    buffer = []
    return [body]
}

/// Never checks the length: waits for (and reserves room for) a body of any size.
func takeFramesNoLimit(from buffer: inout [UInt8], maximumLength: Int) throws -> [[UInt8]] {
    var frames: [[UInt8]] = []
    while buffer.count >= 4 {
        let length = buffer[..<4].reduce(0) { $0 << 8 | Int($1) }
        buffer.reserveCapacity(4 + length)
        guard buffer.count >= 4 + length else { break }
        frames.append(Array(buffer[4..<4 + length]))
        buffer.removeFirst(4 + length)
    }
    return frames
}
