import ExerciseKit
import NetUtil

/// Exercise 08's reference solution: the whole request, a FIN that says it is
/// complete, then the answer up to the server's FIN.
func askAndReadAllSolution(_ socket: Int32, request: [UInt8], limit: Int) throws -> [UInt8] {
    try sendEveryByte(of: request, over: socket)
    // FIN, as close would send it, but this socket can still receive.
    guard shutdown(socket, Int32(SHUT_WR)) == 0 else {
        throw ExerciseError.failed(call: "shutdown", errno: errno)
    }
    return try receiveUntilEnd(from: socket, limit: limit)
}

/// send until every byte is taken: one call may take only part of them.
func sendEveryByte(of bytes: [UInt8], over socket: Int32) throws {
    var sent = 0
    while sent < bytes.count {
        // MSG_NOSIGNAL: a send to a reset peer fails with EPIPE instead of killing us.
        let took = bytes.withUnsafeBytes { buffer in
            send(socket, buffer.baseAddress! + sent, buffer.count - sent, noSignalOnSend)
        }
        if took < 0 {
            if errno == EINTR { continue }  // a signal came before any byte was taken
            throw ExerciseError.failed(call: "send", errno: errno)
        }
        sent += took
    }
}

/// recv until it returns 0, never taking more than one byte past `limit`.
func receiveUntilEnd(from socket: Int32, limit: Int) throws -> [UInt8] {
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: min(65536, limit + 1))
    while true {
        // Room for what the limit still allows, and one byte more: if it comes, too long.
        let room = min(buffer.count, limit - answer.count + 1)
        let got = recv(socket, &buffer, room, 0)
        if got < 0 {
            if errno == EINTR { continue }  // a signal interrupted the wait: wait again
            throw ExerciseError.failed(call: "recv", errno: errno)  // ECONNRESET too
        }
        if got == 0 { return answer }  // the server's FIN: the answer is complete
        if answer.count + got > limit { throw ExerciseError.longerThan(limit: limit) }
        answer += buffer[..<got]
    }
}
