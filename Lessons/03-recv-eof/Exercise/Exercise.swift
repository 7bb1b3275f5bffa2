// Exercise 03 · read until the peer has closed.
//
// Return every byte the peer sends before it closes. Only recv returning 0
// means the peer has closed: a recv shorter than asked for, or nothing queued
// for a moment, does not. After the close recv returns 0 at once, every time,
// so stop at the first 0 (calling again would spin for ever).
//
// Read first: Notes.md, lesson 03, "Your turn". Check: swift run workbook check 3
// The reference solution is in ../Check/Solution.swift: try it yourself first.
import ExerciseKit
import NetUtil

public func receiveUntilClosed(from socket: Int32) throws -> [UInt8] {
    throw ExerciseError.notStarted  // replace this line with your loop over recv(socket, ...)
}
