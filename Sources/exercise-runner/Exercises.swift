import Check01
import Check02
import Check03
import Check04
import Check05
import Check06
import Check07
import Check08
import Check09
import Exercise01
import Exercise02
import Exercise03
import Exercise04
import Exercise05
import Exercise06
import Exercise07
import Exercise08
import Exercise09
import ExerciseKit

/// Every exercise, in lesson order, with the learner's function in place.
///
/// Adding a lesson's exercise:
/// 1. `Lessons/NN-name/Exercise/Exercise.swift`: a few comment lines (the task,
///    "Read first: Notes.md, lesson NN, Your turn", the check command, where the
///    solution is), then a `public func` stub that throws `ExerciseError.notStarted`.
/// 2. `Lessons/NN-name/Check/`: `Checks.swift` (the function's type and
///    `Exercise(lesson:task:checks:solution:wrongAnswers:)`, each check against a
///    scripted `Peer` with a hint naming its mistake), `Solution.swift`, and
///    `WrongAnswers.swift` with three or more classic mistakes.
/// 3. One entry in Package.swift's `exercises`, and one here (with its two imports),
///    in lesson order.
/// 4. A "Your turn" part at the end of the lesson's section of Notes.md.
/// `ExerciseTests` then checks the solution and every wrong answer by itself, and
/// that this list holds exactly the lessons whose folder has an `Exercise` folder.
/// A check that needs what only TCP does (FIN, RST, full send buffers) can use
/// `StreamPair.overLoopbackTCP()`, as lesson 08's does.
let exercises: [CheckableExercise] = [
    receiveExactlyExercise.checking(receiveExactly),
    receiveWithinExercise.checking(receive(upTo:from:within:)),
    receiveUntilClosedExercise.checking(receiveUntilClosed),
    nextMessageExercise.checking(nextMessage),
    takeFramesExercise.checking(takeFrames),
    requestExercise.checking(request),
    serveUpperExercise.checking(serveUpper(listener:stop:)),
    askAndReadAllExercise.checking(askAndReadAll),
    receiveFileExercise.checking(receiveFile),
]
