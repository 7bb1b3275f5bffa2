import ExerciseKit
import NetUtil

// Each wrong answer below is the reference solution with one classic mistake.

/// Asks every recv for a whole buffer, so the last one takes the next frame's bytes too.
func receiveFileAsksWholeBuffer(
    from socket: Int32, totalSize: Int, into file: Int32, buffer: UnsafeMutableRawBufferPointer
) throws -> String {
    var hash = MD5()
    var received = 0
    while received < totalSize {
        let got = recv(socket, buffer.baseAddress, buffer.count, 0)
        if got < 0 { throw ExerciseError.failed(call: "recv", errno: errno) }
        if got == 0 { throw ExerciseError.closedPartWay(received: received) }
        let piece = UnsafeRawBufferPointer(rebasing: buffer[..<got])
        try writeEveryByte(of: piece, to: file)
        hash.update(piece)
        received += got
    }
    return hash.hexDigest()
}

/// Takes recv returning 0 as the end of the body: a cut transfer passes for a whole file.
func receiveFileEndTakenAsDone(
    from socket: Int32, totalSize: Int, into file: Int32, buffer: UnsafeMutableRawBufferPointer
) throws -> String {
    var hash = MD5()
    var received = 0
    while received < totalSize {
        let got = recv(socket, buffer.baseAddress, min(buffer.count, totalSize - received), 0)
        if got <= 0 { break }
        let piece = UnsafeRawBufferPointer(rebasing: buffer[..<got])
        try writeEveryByte(of: piece, to: file)
        hash.update(piece)
        received += got
    }
    return hash.hexDigest()
}

/// Hashes the whole buffer after each recv, stale bytes past the piece included.
func receiveFileHashesWholeBuffer(
    from socket: Int32, totalSize: Int, into file: Int32, buffer: UnsafeMutableRawBufferPointer
) throws -> String {
    var hash = MD5()
    var received = 0
    while received < totalSize {
        let got = recv(socket, buffer.baseAddress, min(buffer.count, totalSize - received), 0)
        if got < 0 { throw ExerciseError.failed(call: "recv", errno: errno) }
        if got == 0 { throw ExerciseError.closedPartWay(received: received) }
        try writeEveryByte(of: UnsafeRawBufferPointer(rebasing: buffer[..<got]), to: file)
        hash.update(UnsafeRawBufferPointer(buffer))
        received += got
    }
    return hash.hexDigest()
}

/// Collects the whole body in an array, then writes and hashes it: memory grows with the file.
func receiveFileCollects(
    from socket: Int32, totalSize: Int, into file: Int32, buffer: UnsafeMutableRawBufferPointer
) throws -> String {
    var body: [UInt8] = []
    while body.count < totalSize {
        let got = recv(socket, buffer.baseAddress, min(buffer.count, totalSize - body.count), 0)
        if got < 0 { throw ExerciseError.failed(call: "recv", errno: errno) }
        if got == 0 { throw ExerciseError.closedPartWay(received: body.count) }
        body += UnsafeRawBufferPointer(rebasing: buffer[..<got])
    }
    try body.withUnsafeBytes { try writeEveryByte(of: $0, to: file) }
    return MD5.hex(body)
}

/// One write per piece, its count never looked at: a short write loses the rest.
func receiveFileOneWrite(
    from socket: Int32, totalSize: Int, into file: Int32, buffer: UnsafeMutableRawBufferPointer
) throws -> String {
    var hash = MD5()
    var received = 0
    while received < totalSize {
        let got = recv(socket, buffer.baseAddress, min(buffer.count, totalSize - received), 0)
        if got < 0 { throw ExerciseError.failed(call: "recv", errno: errno) }
        if got == 0 { throw ExerciseError.closedPartWay(received: received) }
        _ = write(file, buffer.baseAddress, got)
        hash.update(UnsafeRawBufferPointer(rebasing: buffer[..<got]))
        received += got
    }
    return hash.hexDigest()
}

/// Asks recv for all the body still lacks, whatever the buffer holds: recv
/// writes past the buffer's end, over whatever memory follows it.
func receiveFileOverrunsBuffer(
    from socket: Int32, totalSize: Int, into file: Int32, buffer: UnsafeMutableRawBufferPointer
) throws -> String {
    var hash = MD5()
    var received = 0
    while received < totalSize {
        let got = recv(socket, buffer.baseAddress, totalSize - received, 0)
        if got < 0 { throw ExerciseError.failed(call: "recv", errno: errno) }
        if got == 0 { throw ExerciseError.closedPartWay(received: received) }
        let piece = UnsafeRawBufferPointer(start: buffer.baseAddress, count: got)
        try writeEveryByte(of: piece, to: file)
        hash.update(piece)
        received += got
    }
    return hash.hexDigest()
}
