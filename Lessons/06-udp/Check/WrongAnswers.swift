import ExerciseKit
import NetUtil

/// Takes the first datagram that arrives as the reply, whoever sent it.
func requestAcceptsAnyone(
    _ message: [UInt8], to server: SocketAddress, over socket: UDPSocket,
    timeout seconds: Double, attempts: Int
) throws -> [UInt8] {
    try socket.setReceiveTimeout(seconds: seconds)
    for _ in 0..<attempts {
        try socket.send(message, to: server)
        if let datagram = try nextDatagram(socket) { return datagram.bytes }
    }
    throw ExerciseError.noReply
}

/// Sends once: a lost datagram is never sent again.
func requestNoRetry(
    _ message: [UInt8], to server: SocketAddress, over socket: UDPSocket,
    timeout seconds: Double, attempts: Int
) throws -> [UInt8] {
    try socket.setReceiveTimeout(seconds: seconds)
    try socket.send(message, to: server)
    while let datagram = try nextDatagram(socket) {
        if datagram.sender.description == server.description { return datagram.bytes }
    }
    throw ExerciseError.noReply
}

/// Retries for as long as it takes: a server that is gone makes it wait for ever.
func requestRetriesForever(
    _ message: [UInt8], to server: SocketAddress, over socket: UDPSocket,
    timeout seconds: Double, attempts: Int
) throws -> [UInt8] {
    try socket.setReceiveTimeout(seconds: seconds)
    while true {
        try socket.send(message, to: server)
        while let datagram = try nextDatagram(socket) {
            if datagram.sender.description == server.description { return datagram.bytes }
        }
    }
}

/// Waits for the reply with no timeout: one lost datagram and it waits for ever.
func requestNoTimeout(
    _ message: [UInt8], to server: SocketAddress, over socket: UDPSocket,
    timeout seconds: Double, attempts: Int
) throws -> [UInt8] {
    try socket.send(message, to: server)
    while true {
        let datagram = try socket.receive(upTo: 65536)
        if datagram.sender.description == server.description { return datagram.bytes }
    }
}

/// The next datagram, or nil once the receive timeout expires.
private func nextDatagram(_ socket: UDPSocket) throws -> Datagram? {
    do {
        return try socket.receive(upTo: 65536)
    } catch .timedOut {
        return nil
    }
}
