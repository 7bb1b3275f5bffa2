import NetUtil

// The tutorial's framing, copied in behaviour (not in code) so its costs can
// be measured: a 4-byte native-endian length, a JSON header, the body, each
// with its own send; a receiver that takes each recv as whole and builds the
// body by appending 1024-byte pieces to an immutable bytes object.

/// Sends `body` as the tutorial's server does: three separate sends.
func sendTutorial(_ body: [UInt8], over socket: Socket) throws {
    let header = Array(
        #"{"filename": "text1", "MD5": 120045318563413485631, "total_size": \#(body.count)}"#.utf8)
    // struct.pack('i', n): a signed 32-bit length in the machine's own byte order.
    let length = withUnsafeBytes(of: Int32(header.count)) { Array($0) }
    try socket.sendAll(length)
    try socket.sendAll(header)
    try socket.sendAll(body)
}

/// Receives one message as the tutorial's client does.
func receiveTutorial(over socket: Socket) throws -> [UInt8] {
    // recv(4) and recv(n) are taken as whole, as in the tutorial.
    let lengthBytes = try socket.receive(upTo: 4)
    guard lengthBytes.count == 4 else { throw BenchError.badHeader("short length") }
    let headerLength = lengthBytes.withUnsafeBytes { Int($0.loadUnaligned(as: Int32.self)) }
    let header = try socket.receive(upTo: headerLength)
    let total = try totalSize(in: header)
    // Python's bytes are immutable: `s += data` builds a new object and copies
    // everything received so far into it. Swift would quietly turn
    // `body = body + chunk` into an in-place append, so the copy is spelled out.
    var body: [UInt8] = []
    while body.count < total {
        let chunk = try socket.receive(upTo: 1024)
        if chunk.isEmpty { throw BenchError.peerClosed(received: body.count, expected: total) }
        body = concatenatedCopy(body, chunk)
    }
    return body
}

/// The number after `"total_size":` in a JSON header.
func totalSize(in header: [UInt8]) throws -> Int {
    let text = String(decoding: header, as: UTF8.self)
    guard let key = text.firstRange(of: #""total_size":"#) else {
        throw BenchError.badHeader(text)
    }
    let digits = text[key.upperBound...].drop { $0 == " " }.prefix { $0.isNumber }
    guard let value = Int(digits) else { throw BenchError.badHeader(text) }
    return value
}

/// A new array holding `first` then `second`: always a fresh allocation and a
/// full copy of both, as Python makes for `first + second` on bytes.
func concatenatedCopy(_ first: [UInt8], _ second: [UInt8]) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: first.count + second.count) { buffer, count in
        let afterFirst = buffer.initialize(fromContentsOf: first)
        _ = buffer[afterFirst...].initialize(fromContentsOf: second)
        count = first.count + second.count
    }
}
