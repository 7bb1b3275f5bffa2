import NetUtil

/// `workbook quiz LESSON` runs one lesson's quiz; `workbook quiz all` runs every
/// lesson's quiz in reading order, reading all the answers from one standard input.
/// Returns the exit status: 0 once everything is marked, whatever the score.
func quizCommand(_ words: [String], display: Display) throws(WorkbookError) -> Int32 {
    guard words.count == 1 else { throw .quizUsage }
    guard words[0] == "all" else { return try quiz(lesson(named: words[0]), display: display) }
    var status: Int32 = 0
    for (index, lesson) in lessons.enumerated() {
        if index > 0 { Output.line("") }
        status = max(status, try quiz(lesson, display: display))
    }
    return status
}

/// Predict, then observe: asks the lesson's questions, reads one answer per
/// line from standard input, runs the lesson, and marks each answer against
/// what the run printed. Returns 0 once marked, 1 if a question could not be marked.
func quiz(_ lesson: Lesson, display: Display) throws(WorkbookError) -> Int32 {
    display.heading(lesson)
    Output.line("Predict first: answer each question on one line, then watch the run.")
    let typing = isatty(STDIN_FILENO) == 1
    var answers: [String] = []
    for (index, question) in lesson.questions.enumerated() {
        Output.line("\(index + 1). \(question.text) \(question.answer.form)")
        let answer = readLine()?.trimmingSpaces ?? ""
        // Piped answers are not echoed by a terminal; show them so the page reads whole.
        if !typing { Output.line("   you: \(answer.isEmpty ? "(an empty line)" : answer)") }
        answers.append(answer)
    }

    Output.line("")
    let run = try run(lesson, display: display)
    Output.line("")
    var right = 0
    var unmarked = false
    for (index, question) in lesson.questions.enumerated() {
        let given = answers[index].isEmpty ? "(an empty line)" : answers[index]
        guard let expected = question.answer.read(run.lines) else {
            Output.line("\(index + 1). not marked: the run did not print what this question asks")
            unmarked = true
            continue
        }
        let isRight = question.answer.accepts(answers[index], expected: expected)
        if isRight { right += 1 }
        Output.line(
            "\(index + 1). \(isRight ? "right" : "wrong"): you said \(given), "
                + "the run shows \(question.answer.shown(expected))")
    }
    Output.line("You predicted \(right) of \(lesson.questions.count).")
    return unmarked ? 1 : 0
}
