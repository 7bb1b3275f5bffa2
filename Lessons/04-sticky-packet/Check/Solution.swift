import ExerciseKit
import NetUtil

/// Exercise 04's reference solution: receive into `pending` until it holds a
/// "\n", then cut the message off the front and leave the rest.
func nextMessageSolution(from socket: Int32, pending: inout [UInt8]) throws -> [UInt8]? {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        if let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let message = Array(pending[..<end])
            pending.removeFirst(end + 1)
            return message
        }
        let got = recv(socket, &buffer, buffer.count, 0)
        if got < 0 {
            if errno == EINTR { continue }  // a signal interrupted the wait: wait again
            throw ExerciseError.failed(call: "recv", errno: errno)
        }
        if got == 0 {
            if pending.isEmpty { return nil }
            throw ExerciseError.closedPartWay(received: pending.count)
        }
        pending += buffer[..<got]
    }
}
