import ExerciseKit
import NetUtil

/// One recv taken as one message.
func nextMessageOneRecv(from socket: Int32, pending: inout [UInt8]) throws -> [UInt8]? {
    var buffer = [UInt8](repeating: 0, count: 4096)
    let got = recv(socket, &buffer, buffer.count, 0)
    if got <= 0 { return nil }
    var message = Array(buffer[..<got])
    if message.last == UInt8(ascii: "\n") { message.removeLast() }
    return message
}

/// Receives until a "\n" has arrived, but throws away whatever came after it.
func nextMessageDropsRest(from socket: Int32, pending: inout [UInt8]) throws -> [UInt8]? {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !received.contains(UInt8(ascii: "\n")) {
        let got = recv(socket, &buffer, buffer.count, 0)
        if got == 0 { return received.isEmpty ? nil : received }
        received += buffer[..<got]
    }
    return Array(received.prefix { $0 != UInt8(ascii: "\n") })
}

/// Right, except that an end part-way through a message returns the part as a message.
func nextMessagePartTaken(from socket: Int32, pending: inout [UInt8]) throws -> [UInt8]? {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        if let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let message = Array(pending[..<end])
            pending.removeFirst(end + 1)
            return message
        }
        let got = recv(socket, &buffer, buffer.count, 0)
        if got == 0 {
            defer { pending = [] }
            return pending.isEmpty ? nil : pending
        }
        pending += buffer[..<got]
    }
}

/// Receives until a "\n" is pending, and never looks for 0: after the close it spins.
func nextMessageSpins(from socket: Int32, pending: inout [UInt8]) throws -> [UInt8]? {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        if let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let message = Array(pending[..<end])
            pending.removeFirst(end + 1)
            return message
        }
        let got = recv(socket, &buffer, buffer.count, 0)
        if got > 0 { pending += buffer[..<got] }
    }
}
