// Exercise 02 · receive with a deadline: never block past it.
//
// Do one recv of at most `maximum` bytes, but wait no longer than `seconds`:
// return what it returns (an empty array when the peer has closed), or, if
// nothing arrives in time, throw ExerciseError.timedOut. Set SO_RCVTIMEO on
// the socket (recv then fails with EAGAIN at the deadline), or poll() first.
//
// Read first: Notes.md, lesson 02, "Your turn". Check: swift run workbook check 2
// The reference solution is in ../Check/Solution.swift: try it yourself first.
import ExerciseKit
import NetUtil

public func receive(upTo maximum: Int, from socket: Int32, within seconds: Double) throws
    -> [UInt8]
{
    throw ExerciseError.notStarted  // replace this line: a time limit, then one recv
}
