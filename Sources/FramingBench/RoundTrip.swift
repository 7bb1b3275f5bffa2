import NetUtil

/// One request and its reply, from the asking side: sends `body`, waits for
/// the echo, and returns how long the exchange took.
public func roundTrip(_ body: [UInt8], over connection: BenchConnection, as variant: Variant)
    throws -> Duration
{
    let started = ContinuousClock.now
    try sendMessage(body, over: connection, as: variant)
    let reply = try receiveMessage(over: connection, as: variant, size: body.count)
    let took = ContinuousClock.now - started
    guard reply.count == body.count else {
        throw BenchError.peerClosed(received: reply.count, expected: body.count)
    }
    return took
}

/// The answering side: echoes every message back until the asker closes.
public func echoMessages(over connection: BenchConnection, as variant: Variant, size: Int) throws {
    // Between two messages, the end of the stream is the asker saying goodbye.
    while try waitForData(on: connection) {
        let message = try receiveMessage(over: connection, as: variant, size: size)
        try sendMessage(message, over: connection, as: variant)
    }
}

/// Blocks until the connection has bytes to read or has reached its end; true means bytes.
func waitForData(on connection: BenchConnection) throws -> Bool {
    if !connection.decoder.isBetweenFrames { return true }  // read ahead already
    let socket = connection.socket
    var probe: UInt8 = 0
    let count = recv(socket.descriptor, &probe, 1, Int32(MSG_PEEK))
    if count < 0 { throw SocketError.failed(call: "recv(MSG_PEEK)", address: nil, errno: errno) }
    return count > 0
}

/// Sets TCP_NODELAY: every send goes out at once instead of waiting for
/// earlier small segments to be acknowledged (Nagle's algorithm).
///
/// The corresponding C call is `setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, ...)`.
public func disableNagle(on socket: Socket) throws {
    var on: Int32 = 1
    let status = setsockopt(
        socket.descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size)
    )
    if status != 0 {
        throw SocketError.failed(call: "setsockopt(TCP_NODELAY)", address: nil, errno: errno)
    }
}
