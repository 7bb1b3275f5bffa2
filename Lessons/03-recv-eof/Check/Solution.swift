import ExerciseKit
import NetUtil

/// Exercise 03's reference solution: recv and append, until recv returns 0.
func receiveUntilClosedSolution(from socket: Int32) throws -> [UInt8] {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let got = recv(socket, &buffer, buffer.count, 0)
        if got < 0 {
            if errno == EINTR { continue }  // a signal interrupted the wait: wait again
            throw ExerciseError.failed(call: "recv", errno: errno)
        }
        if got == 0 { return received }  // the peer closed, and everything is read
        received += buffer[..<got]
    }
}
