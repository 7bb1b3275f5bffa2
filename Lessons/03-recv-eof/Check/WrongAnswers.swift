import ExerciseKit
import NetUtil

/// Appends whatever recv returns and never looks for 0: after the close it spins.
func receiveUntilClosedSpins(from socket: Int32) throws -> [UInt8] {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let got = recv(socket, &buffer, buffer.count, 0)
        if got < 0 { return received }
        received += buffer[..<got]
    }
}

/// One recv, taken as everything.
func receiveUntilClosedOneRecv(from socket: Int32) throws -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 4096)
    let got = recv(socket, &buffer, buffer.count, 0)
    return got <= 0 ? [] : Array(buffer[..<got])
}

/// Stops at the first recv that returns less than it asked for.
func receiveUntilClosedStopsShort(from socket: Int32) throws -> [UInt8] {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let got = recv(socket, &buffer, buffer.count, 0)
        if got <= 0 { return received }
        received += buffer[..<got]
        if got < buffer.count { return received }
    }
}

/// Stops as soon as nothing is queued (MSG_DONTWAIT fails with EAGAIN).
func receiveUntilClosedStopsWhenEmpty(from socket: Int32) throws -> [UInt8] {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    // Wait for the first bytes, then take only what is already there.
    var flags: Int32 = 0
    while true {
        let got = recv(socket, &buffer, buffer.count, flags)
        if got <= 0 { return received }
        received += buffer[..<got]
        flags = Int32(MSG_DONTWAIT)
    }
}
