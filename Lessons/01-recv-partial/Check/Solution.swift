import ExerciseKit
import NetUtil

/// Exercise 01's reference solution: recv into the part of the buffer still
/// empty, until it is full or the peer has closed.
func receiveExactlySolution(_ count: Int, from socket: Int32) throws -> [UInt8]? {
    var bytes = [UInt8](repeating: 0, count: count)
    var received = 0
    while received < count {
        let got = bytes.withUnsafeMutableBytes { buffer in
            recv(socket, buffer.baseAddress! + received, count - received, 0)
        }
        if got < 0 {
            if errno == EINTR { continue }  // a signal interrupted the wait: wait again
            throw ExerciseError.failed(call: "recv", errno: errno)
        }
        if got == 0 {
            if received == 0 { return nil }
            throw ExerciseError.closedPartWay(received: received)
        }
        received += got
    }
    return bytes
}
