import Check01
import Check02
import Check03
import Check04
import Check05
import Check06
import Exercise01
import Exercise02
import Exercise03
import Exercise04
import Exercise05
import Exercise06
import ExerciseKit

/// Every exercise, in lesson order, with the learner's function in place.
///
/// A lesson's exercise is one entry here: its checks (module CheckNN, from
/// the lesson's `Check/` folder) given the function the learner writes
/// (module ExerciseNN, from its `Exercise/` folder).
let exercises: [CheckableExercise] = [
    receiveExactlyExercise.checking(receiveExactly),
    receiveWithinExercise.checking(receive(upTo:from:within:)),
    receiveUntilClosedExercise.checking(receiveUntilClosed),
    nextMessageExercise.checking(nextMessage),
    takeFramesExercise.checking(takeFrames),
    requestExercise.checking(request),
]
