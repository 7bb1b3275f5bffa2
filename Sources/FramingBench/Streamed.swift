import NetUtil

/// Receives one lesson 05 frame without ever holding its body, as a file
/// transfer does: the length and header through NetUtil's decoder (never
/// asking for a byte past the header), then the body through `buffer`, one
/// `recv` at a time. Each piece goes to `take` with its offset in the body,
/// and is overwritten by the next. Returns the body's size.
///
/// Memory stays the size of `buffer` whatever the body's size, and a buffer
/// kept from message to message costs no page faults after the first, where
/// a 256 MiB body held whole takes 65,536 fresh 4 KiB pages, every time.
public func receiveStreamed(
    over socket: Socket, through buffer: UnsafeMutableRawBufferPointer,
    _ take: (UnsafeRawBufferPointer, Int) throws -> Void
) throws -> Int {
    var decoder = FrameDecoder(maximumBodySize: Int.max)
    while !decoder.isReadingBody {
        let count = try receiving {
            decoder.fill(upTo: decoder.bytesWanted) {
                recv(socket.descriptor, $0.baseAddress, $0.count, 0)
            }
        }
        if count == 0 { try decoder.endOfInput() }
        if let empty = try decoder.advance() { return empty.body.count }  // total_size 0
    }
    guard case .waitingForBody(let header) = decoder.state else { return 0 }
    var received = 0
    while received < header.totalSize {
        let wanted = min(buffer.count, header.totalSize - received)
        let count = try receiving { recv(socket.descriptor, buffer.baseAddress, wanted, 0) }
        if count == 0 {
            throw BenchError.peerClosed(received: received, expected: header.totalSize)
        }
        try take(UnsafeRawBufferPointer(rebasing: buffer[..<count]), received)
        received += count
    }
    return received
}

/// One `recv`, retried on EINTR; a failure becomes an error.
private func receiving(_ call: () -> Int) throws -> Int {
    while true {
        let count = call()
        if count >= 0 { return count }
        if errno != EINTR { throw SocketError.failed(call: "recv", address: nil, errno: errno) }
    }
}
