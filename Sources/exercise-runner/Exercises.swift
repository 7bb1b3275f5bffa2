import ExerciseChecks
import ExerciseKit
import Exercises

/// Every exercise, in lesson order, with the learner's function in place.
///
/// A lesson's exercise is one entry here: its checks (in the lesson's
/// `Check/Checks.swift`) given the function the learner writes (in its
/// `Exercise/Exercise.swift`).
let exercises: [CheckableExercise] = [
    receiveExactlyExercise.checking(receiveExactly),
]
