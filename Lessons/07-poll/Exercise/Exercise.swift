// Exercise 07 · serve any number of clients on one thread with poll(2).
//
// Answer each line a client sends, up to and including its "\n", with the same line
// in capitals (a-z to A-Z, other bytes as they are). `listener` is non-blocking already.
// Wait only in poll: on `stop`, `listener` and every client. One recv per POLLIN; keep
// each client's unfinished line and unsent answers in buffers of its own; stop reading
// a client once 65536 bytes of its answers wait; drop (and close) a client that closed.
// Return once `stop` is readable, after closing your clients' sockets (not `listener`
// or `stop`: they belong to the check). Start no thread.
//
// Read first: Notes.md, lesson 07, "Your turn". Check: swift run workbook check 7
// The reference solution is in ../Check/Solution.swift: try it yourself first.
import ExerciseKit
import NetUtil

public func serveUpper(listener: Int32, stop: Int32) throws {
    throw ExerciseError.notStarted  // replace this line: a loop around poll(...)
}
