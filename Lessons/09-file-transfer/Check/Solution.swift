import ExerciseKit
import NetUtil

/// Exercise 09's reference solution: each recv asks for what the buffer
/// holds or the body still lacks, whichever is less; each piece is written
/// out whole and hashed, and the buffer is reused for the next.
func receiveFileSolution(
    from socket: Int32, totalSize: Int, into file: Int32, buffer: UnsafeMutableRawBufferPointer
) throws -> String {
    var hash = MD5()
    var received = 0
    while received < totalSize {
        let got = recv(socket, buffer.baseAddress, min(buffer.count, totalSize - received), 0)
        if got < 0 {
            if errno == EINTR { continue }  // a signal interrupted the wait: wait again
            throw ExerciseError.failed(call: "recv", errno: errno)
        }
        // The peer closed before the body's end: what arrived is not the file.
        if got == 0 { throw ExerciseError.closedPartWay(received: received) }
        let piece = UnsafeRawBufferPointer(rebasing: buffer[..<got])
        try writeEveryByte(of: piece, to: file)
        hash.update(piece)
        received += got
    }
    return hash.hexDigest()
}

/// write until every byte is taken: one call may take only part of them.
func writeEveryByte(of bytes: UnsafeRawBufferPointer, to file: Int32) throws {
    var written = 0
    while written < bytes.count {
        let took = write(file, bytes.baseAddress! + written, bytes.count - written)
        if took < 0 {
            if errno == EINTR { continue }  // a signal came before any byte was taken
            throw ExerciseError.failed(call: "write", errno: errno)
        }
        written += took
    }
}
