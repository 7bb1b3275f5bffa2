import ExerciseKit
import NetUtil

/// One recv, taken as the whole message.
func receiveExactlyOneRecv(_ count: Int, from socket: Int32) throws -> [UInt8]? {
    var bytes = [UInt8](repeating: 0, count: count)
    let got = recv(socket, &bytes, count, 0)
    if got <= 0 { return nil }
    return Array(bytes[..<got])
}

/// Loops, but asks every recv for a whole buffer, so it eats the next message's bytes.
func receiveExactlyAsksTooMuch(_ count: Int, from socket: Int32) throws -> [UInt8]? {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1024)
    while bytes.count < count {
        let got = recv(socket, &buffer, buffer.count, 0)
        if got == 0 { return bytes.isEmpty ? nil : bytes }
        bytes += buffer[..<got]
    }
    return bytes
}

/// Loops, but takes an end part-way as the end of the message.
func receiveExactlyShortTakenAsWhole(_ count: Int, from socket: Int32) throws -> [UInt8]? {
    var bytes: [UInt8] = []
    while bytes.count < count {
        var chunk = [UInt8](repeating: 0, count: count - bytes.count)
        let got = recv(socket, &chunk, chunk.count, 0)
        if got <= 0 { return bytes.isEmpty ? nil : bytes }
        bytes += chunk[..<got]
    }
    return bytes
}

/// Loops until it has `count` bytes, never looking for 0: after the peer
/// closes, recv returns 0 at once, for ever, and this spins.
func receiveExactlySpinsOnEnd(_ count: Int, from socket: Int32) throws -> [UInt8]? {
    var bytes: [UInt8] = []
    while bytes.count < count {
        var chunk = [UInt8](repeating: 0, count: count - bytes.count)
        let got = recv(socket, &chunk, chunk.count, 0)
        if got > 0 { bytes += chunk[..<got] }
    }
    return bytes
}
