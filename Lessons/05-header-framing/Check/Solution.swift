import ExerciseKit
import NetUtil

/// Exercise 05's reference solution: while a whole header is buffered, read
/// the length, refuse it if too long, and cut the frame off once its body is in.
func takeFramesSolution(from buffer: inout [UInt8], maximumLength: Int) throws -> [[UInt8]] {
    var frames: [[UInt8]] = []
    while buffer.count >= 4 {
        // Big-endian: the first byte is the most significant.
        let length = buffer[..<4].reduce(0) { $0 << 8 | Int($1) }
        guard length <= maximumLength else { throw ExerciseError.tooLong(length: length) }
        guard buffer.count >= 4 + length else { break }  // the body is not all here yet
        frames.append(Array(buffer[4..<4 + length]))
        buffer.removeFirst(4 + length)
    }
    return frames
}
