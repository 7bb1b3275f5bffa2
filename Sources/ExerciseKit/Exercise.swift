/// One lesson's exercise: the checks that tell a right answer from a wrong
/// one, the reference solution, and the classic wrong answers that prove the
/// checks catch each mistake.
///
/// `Implementation` is the type of the function the learner writes, such as
/// `@Sendable (Int, Int32) throws -> [UInt8]?`.
public struct Exercise<Implementation: Sendable>: Sendable {
    /// The lesson's number, two digits: `"01"`.
    public let lesson: String
    /// What to write, in a few words: `receive exactly n bytes`.
    public let task: String
    public let checks: [Check<Implementation>]
    public let solution: Implementation
    public let wrongAnswers: [WrongAnswer<Implementation>]

    public init(
        lesson: String,
        task: String,
        checks: [Check<Implementation>],
        solution: Implementation,
        wrongAnswers: [WrongAnswer<Implementation>]
    ) {
        self.lesson = lesson
        self.task = task
        self.checks = checks
        self.solution = solution
        self.wrongAnswers = wrongAnswers
    }

    /// The exercise with the learner's function in place, ready to be checked
    /// (or its solution or a wrong answer, for the tests).
    public func checking(_ learner: Implementation) -> CheckableExercise {
        CheckableExercise(
            lesson: lesson,
            task: task,
            mistakes: wrongAnswers.map(\.mistake),
            run: { which in
                switch which {
                case .learner: runChecks(checks, on: learner, lesson: lesson)
                case .solution: runChecks(checks, on: solution, lesson: lesson)
                case .wrongAnswer(let index):
                    runChecks(checks, on: wrongAnswers[index].implementation, lesson: lesson)
                }
            })
    }
}

/// A classic mistake, written out, and the words a failing check uses for it.
public struct WrongAnswer<Implementation: Sendable>: Sendable {
    /// Words the check's hint uses for this mistake: `one recv`.
    public let mistake: String
    public let implementation: Implementation

    public init(_ mistake: String, _ implementation: Implementation) {
        self.mistake = mistake
        self.implementation = implementation
    }
}

/// One exercise, whatever its function's type: what `exercise-runner` runs.
public struct CheckableExercise: Sendable {
    public let lesson: String
    public let task: String
    /// The wrong answers' mistakes, in order: `--wrong 0` is the first.
    public let mistakes: [String]
    /// Runs the checks on the chosen implementation and prints the report.
    public let run: @Sendable (Implementation) -> Verdict

    /// Whose code the checks run on.
    public enum Implementation: Sendable {
        case learner, solution
        case wrongAnswer(Int)
    }
}
