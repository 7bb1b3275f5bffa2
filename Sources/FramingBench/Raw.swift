import NetUtil

/// The largest piece the raw variant hands to one `send` or asks of one `recv`.
let rawChunk = 256 << 10

/// Sends `body` in 256 KiB pieces, with nothing around it.
func sendRaw(_ body: [UInt8], over socket: Socket) throws {
    var offset = 0
    while offset < body.count {
        let end = min(offset + rawChunk, body.count)
        try sendSlice(body[offset..<end], over: socket)
        offset = end
    }
}

/// Receives `size` bytes straight into one buffer, at most 256 KiB per `recv`.
///
/// The buffer is not cleared first: `recv` writes every byte of it, so
/// zeroing 256 MiB beforehand would be one more pass over memory (and
/// `[UInt8](repeating: 0, count:)` costs as much as the copy out of the kernel).
func receiveRaw(_ size: Int, over socket: Socket) throws -> [UInt8] {
    try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        initialized = try receiveAll(into: UnsafeMutableRawBufferPointer(buffer), over: socket)
    }
}

/// Fills `buffer` from `socket`, at most 256 KiB per `recv`; returns its size.
func receiveAll(into buffer: UnsafeMutableRawBufferPointer, over socket: Socket) throws -> Int {
    var received = 0
    while received < buffer.count {
        let count = recv(
            socket.descriptor, buffer.baseAddress! + received,
            min(rawChunk, buffer.count - received), 0)
        if count == -1 && errno == EINTR { continue }
        if count == -1 { throw SocketError.failed(call: "recv", address: nil, errno: errno) }
        if count == 0 { throw BenchError.peerClosed(received: received, expected: buffer.count) }
        received += count
    }
    return received
}

/// Sends a slice without copying it into a new array first.
func sendSlice(_ bytes: ArraySlice<UInt8>, over socket: Socket) throws {
    var sent = 0
    while sent < bytes.count {
        let count = bytes.withUnsafeBytes { buffer in
            send(
                socket.descriptor, buffer.baseAddress! + sent, buffer.count - sent,
                noSignalOnSend)
        }
        if count < 0 {
            if errno == EINTR { continue }
            throw SocketError.failed(call: "send", address: nil, errno: errno)
        }
        sent += count
    }
}
