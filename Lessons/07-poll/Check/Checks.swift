import ExerciseKit
import NetUtil

/// Exercise 07, checked against scripted clients over real TCP on loopback: one
/// that goes quiet half-way through a line, one that reads nothing, one that closes.
public let serveUpperExercise = Exercise<ServeUpper>(
    lesson: "07",
    task: "serve many clients on one thread",
    checks: [
        Check(
            "answers \"hi\\n\" with \"HI\\n\", then returns once stop is readable",
            hint: "poll on stop, the listener and each client; accept when the listener is "
                + "readable (Notes.md, lesson 07, Your turn)",
            limit: .seconds(8)
        ) { serveUpper in
            let loop = try RunningLoop.start(serveUpper)
            let b = try ScriptedClient("B", of: loop)
            try b.send("hi\n")
            if let mismatch = try expectAnswer(b, "HI\n", from: loop) { return mismatch }
            return loop.stop()
        },
        Check(
            "answers B's \"hi\\n\" with \"HI\\n\" while A has sent \"hel\" and gone quiet",
            hint: "the loop waited for the rest of A's line, and every other client waited "
                + "with it: after POLLIN, one recv, keep what came, back to poll "
                + "(Notes.md, lesson 07, Your turn)",
            limit: .seconds(8)
        ) { serveUpper in
            let loop = try RunningLoop.start(serveUpper)
            let a = try ScriptedClient("A", of: loop)
            try a.send("hel")
            if let mismatch = try expectTaken(a, by: loop) { return mismatch }
            let b = try ScriptedClient("B", of: loop)
            try b.send("hi\n")
            if let mismatch = try expectAnswer(b, "HI\n", from: loop) { return mismatch }
            return loop.stop()
        },
        Check(
            "answers A's \"hel\" and then \"lo\\n\" with \"HELLO\\n\", and nothing before the \"\\n\"",
            hint: "each client's unfinished line waits in a buffer of its own until its \"\\n\" "
                + "comes (Notes.md, lesson 07, Your turn)",
            limit: .seconds(8)
        ) { serveUpper in
            let loop = try RunningLoop.start(serveUpper)
            let a = try ScriptedClient("A", of: loop)
            try a.send("hel")
            if let mismatch = try expectTaken(a, by: loop) { return mismatch }
            let b = try ScriptedClient("B", of: loop)
            try b.send("hi\n")
            if let mismatch = try expectAnswer(b, "HI\n", from: loop) { return mismatch }
            let early = try a.queued()
            try a.send("lo\n")
            if let mismatch = try expectAnswer(a, "HELLO\n", from: loop) { return mismatch }
            if early > 0 {
                return Mismatch(
                    expected: "nothing for A before its \"\\n\"",
                    got: "\(byteCount(early)) for A before its line ended",
                    hint: "answer a line only once its \"\\n\" has come; keep the part before "
                        + "it (Notes.md, lesson 07, Your turn)")
            }
            return loop.stop()
        },
        Check(
            "answers B while G reads nothing, stops reading G, and sends G every answer, in "
                + "order, once G reads",
            hint: "a send to a client that reads nothing waits once its buffers are full, and "
                + "the one thread with it: send what the kernel takes, keep the rest, and wait "
                + "for POLLOUT (Notes.md, lesson 07, Your turn)",
            limit: .seconds(15)
        ) { serveUpper in
            let loop = try RunningLoop.start(serveUpper)
            let greedy = try ScriptedClient("G", of: loop)
            let pushed = try flood(greedy, loop: loop)
            if let mismatch = try loop.returnedEarly() { return mismatch }
            let b = try ScriptedClient("B", of: loop)
            try b.send("hi\n")
            if let mismatch = try expectAnswer(b, "HI\n", from: loop) { return mismatch }
            if let mismatch = try expectEveryAnswer(greedy, pushed: pushed, loop: loop) {
                return mismatch
            }
            if pushed > floodCap {
                return Mismatch(
                    expected: "the loop to stop reading G once 65536 bytes of answers wait",
                    got: "it took all \(byteCount(pushed)) G sent, and would take more",
                    hint: "no limit on what waits for one client: stop asking poll for POLLIN "
                        + "while its queue is full (Notes.md, lesson 07, Your turn)")
            }
            return loop.stop()
        },
        Check(
            "closes a client that has closed, then waits for the next event without spinning",
            hint: "a closed socket left in the poll list is ready at once, every time: close "
                + "it and take it out of the list (Notes.md, lesson 07, Your turn)",
            limit: .seconds(8)
        ) { serveUpper in
            let loop = try RunningLoop.start(serveUpper)
            let b = try ScriptedClient("B", of: loop)
            let c = try ScriptedClient("C", of: loop)
            try c.send("bye\n")
            if let mismatch = try expectAnswer(c, "BYE\n", from: loop) { return mismatch }
            _ = shutdown(c.socket.descriptor, Int32(SHUT_WR))
            let closed = c.seesTheEnd()
            if let mismatch = try loop.returnedEarly() { return mismatch }
            if loop.isSpinning() {
                return Mismatch(
                    expected: "the loop waiting in poll after C closed",
                    got: "busy on the CPU all the time (spinning)")
            }
            if !closed {
                return Mismatch(
                    expected: "the end (recv returns 0) at C after it closed",
                    got: "its connection still open after \(secondsText(answerTime))",
                    hint: "recv returning 0 means the client has finished: close its socket "
                        + "(Notes.md, lesson 07, Your turn)")
            }
            try b.send("still there?\n")
            if let mismatch = try expectAnswer(b, "STILL THERE?\n", from: loop) { return mismatch }
            return loop.stop()
        },
        Check(
            "serves three clients at once on its one thread, starting no other",
            hint: "a thread per client is lesson 05's way; here one thread serves them all, "
                + "with poll (Notes.md, lesson 07, Your turn)",
            limit: .seconds(8)
        ) { serveUpper in
            let loop = try RunningLoop.start(serveUpper)
            let clients = try ["A", "B", "C"].map { try ScriptedClient($0, of: loop) }
            for client in clients { try client.send("one for \(client.name)\n") }
            for client in clients {
                let answer = "ONE FOR \(client.name)\n"
                if let mismatch = try expectAnswer(client, answer, from: loop) { return mismatch }
            }
            if let started = loop.threadsStarted(), started > 0 {
                return Mismatch(
                    expected: "no thread started", got: "\(started) threads started")
            }
            return loop.stop()
        },
        Check(
            "returns once stop is readable, with a client half-way through a line, closing both",
            hint: "when stop is readable, close every client's socket and return "
                + "(Notes.md, lesson 07, Your turn)",
            limit: .seconds(8)
        ) { serveUpper in
            let loop = try RunningLoop.start(serveUpper)
            let a = try ScriptedClient("A", of: loop)
            try a.send("hel")
            if let mismatch = try expectTaken(a, by: loop) { return mismatch }
            let b = try ScriptedClient("B", of: loop)
            try b.send("hi\n")
            if let mismatch = try expectAnswer(b, "HI\n", from: loop) { return mismatch }
            if let mismatch = loop.stop() { return mismatch }
            let open = [a, b].filter { !$0.seesTheEnd() }.map(\.name)
            if !open.isEmpty {
                return Mismatch(
                    expected: "A and B see their connections end",
                    got: "\(open.joined(separator: " and ")) still connected after the return")
            }
            return nil
        },
    ],
    solution: serveUpperSolution,
    wrongAnswers: [
        WrongAnswer("waited for the rest of A's line", serveUpperWaitsForWholeLines),
        WrongAnswer("one buffer shared by all clients", serveUpperSharedBuffer),
        WrongAnswer("a closed socket left in the poll list", serveUpperKeepsClosedSockets),
        WrongAnswer("a send to a client that reads nothing waits", serveUpperBlockingSend),
        WrongAnswer("no limit on what waits for one client", serveUpperUnlimitedQueue),
        WrongAnswer("a thread per client", serveUpperThreadPerClient),
        WrongAnswer("send may take only part", serveUpperOneSend),
    ]
)

/// nil if `client` reads `expected`; otherwise what it got, and what the loop was doing.
func expectAnswer(_ client: ScriptedClient, _ expected: String, from loop: RunningLoop) throws
    -> Mismatch?
{
    let got = try client.readLine(from: loop)
    if let mismatch = try loop.returnedEarly() { return mismatch }
    if got == bytes(expected) { return nil }
    let what = "\(client.name) got \(shown(got))"
    if got.isEmpty || got.last != UInt8(ascii: "\n") {
        let wait = "\(what) after \(secondsText(answerTime)); the loop is \(loop.state())"
        return Mismatch(expected: "\(client.name) gets \(shown(bytes(expected)))", got: wait)
    }
    if String(decoding: got, as: UTF8.self).contains("HEL") && expected == "HI\n" {
        return Mismatch(
            expected: "B gets \(shown(bytes(expected)))", got: what,
            hint: "A's \"hel\" ended up in B's answer: one buffer shared by all clients mixes "
                + "them; keep a buffer per client (Notes.md, lesson 07, Your turn)")
    }
    return Mismatch(expected: "\(client.name) gets \(shown(bytes(expected)))", got: what)
}

/// nil once the loop's recv has taken what `client` sent.
func expectTaken(_ client: ScriptedClient, by loop: RunningLoop) throws -> Mismatch? {
    if try client.waitUntilTaken(by: loop) { return nil }
    if let mismatch = try loop.returnedEarly() { return mismatch }
    return Mismatch(
        expected: "\(client.name)'s bytes taken by a recv within \(secondsText(answerTime))",
        got: "still unread; the loop is \(loop.state())",
        hint: "accept each connection the listener offers, and recv when poll says POLLIN "
            + "(Notes.md, lesson 07, Your turn)")
}

/// More than this taken from a client that reads nothing means the loop has no limit.
let floodCap = 1 << 20

/// The line a client that reads nothing sends, over and over.
let greedyLine = bytes(String(repeating: "greedy ", count: 14) + "\n")

/// Sends `greedyLine` over and over without reading any answer, never waiting in
/// send, until the loop stops taking them (nothing leaves for half a second) or
/// more than `floodCap` bytes have gone. Returns how many bytes went.
func flood(_ client: ScriptedClient, loop: RunningLoop) throws -> Int {
    var small: Int32 = 16384
    setsockopt(
        client.socket.descriptor, SOL_SOCKET, SO_SNDBUF, &small, socklen_t(MemoryLayout<Int32>.size)
    )
    let chunk = Array([[UInt8]](repeating: greedyLine, count: 64).joined())
    var pushed = 0
    while pushed <= floodCap && !loop.hasReturned {
        // From where the last send stopped, so the stream is whole lines, one after another.
        let offset = pushed % chunk.count
        let took = chunk.withUnsafeBytes {
            send(
                client.socket.descriptor, $0.baseAddress! + offset, chunk.count - offset,
                Int32(MSG_DONTWAIT) | noSignalOnSend)
        }
        if took > 0 {
            pushed += took
            continue
        }
        if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR { break }
        var entry = [pollfd(fd: client.socket.descriptor, events: Int16(POLLOUT), revents: 0)]
        if try waitForReadiness(&entry, milliseconds: 500) == 0 { break }
    }
    return pushed
}

/// Reads every answer to the `pushed` bytes the flood sent: one capital line per
/// whole line. Returns nil if they all came, in order, else what came.
func expectEveryAnswer(_ client: ScriptedClient, pushed: Int, loop: RunningLoop) throws
    -> Mismatch?
{
    let lines = pushed / greedyLine.count
    let answer = capitals(greedyLine[...])
    var got: [UInt8] = []
    let deadline = ContinuousClock.now + answerTime * 2
    while got.count < lines * answer.count && ContinuousClock.now < deadline
        && !loop.hasReturned
    {
        var entry = [pollfd(fd: client.socket.descriptor, events: Int16(POLLIN), revents: 0)]
        guard try waitForReadiness(&entry, milliseconds: 10) > 0 else { continue }
        let piece = try client.socket.receive(upTo: 65536)
        if piece.isEmpty { break }
        got += piece
    }
    if let mismatch = try loop.returnedEarly() { return mismatch }
    let expected = Array([[UInt8]](repeating: answer, count: lines).joined())
    if got == expected { return nil }
    let what = got.count == expected.count ? "other bytes" : "\(byteCount(got.count))"
    return Mismatch(
        expected: "G gets all \(byteCount(expected.count)) of its answers once it reads",
        got: "G got \(what)",
        hint: "send may take only part of what you offer: keep the rest, in order, and send it "
            + "when poll says POLLOUT (Notes.md, lesson 07, Your turn)")
}
