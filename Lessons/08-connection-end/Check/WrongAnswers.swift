import ExerciseKit
import NetUtil

// Each wrong answer below is the reference solution with one classic mistake.

/// close in place of shutdown: the descriptor is gone, and recv fails with EBADF.
func askAndReadAllCloses(_ socket: Int32, request: [UInt8], limit: Int) throws -> [UInt8] {
    try sendEveryByte(of: request, over: socket)
    close(socket)
    return try receiveUntilEnd(from: socket, limit: limit)
}

/// No shutdown: the server waits for the end of the request, and we for its answer.
func askAndReadAllNeverEnds(_ socket: Int32, request: [UInt8], limit: Int) throws -> [UInt8] {
    try sendEveryByte(of: request, over: socket)
    return try receiveUntilEnd(from: socket, limit: limit)
}

/// One send, its count never looked at.
func askAndReadAllOneSend(_ socket: Int32, request: [UInt8], limit: Int) throws -> [UInt8] {
    _ = send(socket, request, request.count, noSignalOnSend)
    _ = shutdown(socket, Int32(SHUT_WR))
    return try receiveUntilEnd(from: socket, limit: limit)
}

/// One recv, taken as the whole answer.
func askAndReadAllOneRecv(_ socket: Int32, request: [UInt8], limit: Int) throws -> [UInt8] {
    try sendEveryByte(of: request, over: socket)
    _ = shutdown(socket, Int32(SHUT_WR))
    var buffer = [UInt8](repeating: 0, count: 65536)
    let got = recv(socket, &buffer, buffer.count, 0)
    return got <= 0 ? [] : Array(buffer[..<got])
}

/// Reads to the end, however long the answer: no limit.
func askAndReadAllUnlimited(_ socket: Int32, request: [UInt8], limit: Int) throws -> [UInt8] {
    try sendEveryByte(of: request, over: socket)
    _ = shutdown(socket, Int32(SHUT_WR))
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let got = recv(socket, &buffer, buffer.count, 0)
        if got < 0 { throw ExerciseError.failed(call: "recv", errno: errno) }
        if got == 0 { return answer }
        answer += buffer[..<got]
    }
}

/// Stops at the first recv that does not return bytes: an error, a reset
/// included, is taken as the end of the answer.
func askAndReadAllResetIsEnd(_ socket: Int32, request: [UInt8], limit: Int) throws -> [UInt8] {
    try sendEveryByte(of: request, over: socket)
    _ = shutdown(socket, Int32(SHUT_WR))
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: min(65536, limit + 1))
    while true {
        let got = recv(socket, &buffer, min(buffer.count, limit - answer.count + 1), 0)
        if got <= 0 { return answer }
        if answer.count + got > limit { throw ExerciseError.longerThan(limit: limit) }
        answer += buffer[..<got]
    }
}
