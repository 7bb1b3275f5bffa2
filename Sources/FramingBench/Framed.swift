import NetUtil

/// Sends `body` as one lesson 05 frame: one `sendmsg` for length, header and body.
func sendFramed(_ body: [UInt8], over socket: Socket) throws {
    try socket.sendFrame(Frame(body: body))
}

/// Receives one lesson 05 frame through NetUtil's decoder, which puts the body
/// straight into one buffer of `total_size` bytes, 256 KiB per `recv` as raw does.
/// The decoder belongs to the connection: it may hold bytes of the next frame.
func receiveFramed(over socket: Socket, decoder: inout FrameDecoder) throws -> [UInt8] {
    guard let frame = try socket.receiveFrame(&decoder, recvSize: rawChunk) else {
        throw BenchError.peerClosed(received: 0, expected: 1)
    }
    return frame.body
}
