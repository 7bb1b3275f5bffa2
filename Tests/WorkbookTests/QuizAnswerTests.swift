import TestThreads
import Testing

@testable import workbook

/// The quiz marks what a learner means, not how they happened to write it:
/// each right answer in every usual spelling, and no wrong answer in any.
@Suite("Quiz answers", .mayBlock)
struct QuizAnswerTests {
    let bytes = AnswerRule.bytes { _ in nil }
    let number = AnswerRule.number { _ in nil }
    let seconds = AnswerRule.number(within: 0.3) { _ in nil }
    let word = AnswerRule.word { _ in nil }

    @Test("a bytes answer is right bare, in double or single quotes, or as b'…' or b\"…\"")
    func bytesSpellings() {
        for given in ["ll", "\"ll\"", "'ll'", "b'll'", "b\"ll\"", "  \"ll\"  "] {
            #expect(bytes.accepts(given, expected: "ll"), "\(given)")
        }
        #expect(bytes.accepts("bb", expected: "bb"))
        #expect(bytes.accepts("b'bb'", expected: "bb"))
    }

    @Test("an empty result is right as an empty line, \"\", '', b'', b\"\", empty or nothing")
    func emptySpellings() {
        for given in ["", "  ", "\"\"", "''", "b''", "b\"\"", "empty", "Empty", "nothing"] {
            #expect(bytes.accepts(given, expected: ""), "\(given)")
        }
    }

    @Test("a bytes answer with other bytes, odd quotes or another case is wrong")
    func wrongBytes() {
        for given in [
            "", "empty", "b''", "\"\"", "l", "lll", "LL", "\"ll", "b'll\"", "b'll", "bll",
        ] {
            #expect(!bytes.accepts(given, expected: "ll"), "\(given)")
        }
        for given in ["\" \"", "b' '", "0", "none of it", "e", "b", "'"] {
            #expect(!bytes.accepts(given, expected: ""), "\(given)")
        }
    }

    @Test("a number is right as digits or words from zero to twenty and beyond, with a unit or not")
    func numberSpellings() {
        let words = [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen", "twenty",
        ]
        for (value, word) in words.enumerated() {
            #expect(number.accepts(word, expected: "\(value)"), "\(word)")
            #expect(number.accepts("\(value)", expected: "\(value)"))
        }
        for given in ["3", "three", "Three", "3 bytes", "three bytes", "3bytes", "  3 "] {
            #expect(number.accepts(given, expected: "3"), "\(given)")
        }
        #expect(number.accepts("twenty-one", expected: "21"))
        #expect(number.accepts("twenty one", expected: "21"))
        #expect(number.accepts("one hundred and twenty-seven", expected: "127"))
        #expect(number.accepts("one hundred", expected: "100"))
        for given in ["1", "one", "1 s", "1s", "1.0 seconds", "one second", "0.8", "1.25"] {
            #expect(seconds.accepts(given, expected: "1.00"), "\(given)")
        }
    }

    @Test("a number answer that is another number, or not one number, is wrong")
    func wrongNumbers() {
        let wrong = [
            "", "4", "four", "30", "thirty", "13", "thirteen", "3 or 4", "three hundred",
            "-3", "+3", "3.5", "three4", "3 3", "bytes", "s", "twenty-three", "0x3", "three and",
        ]
        for given in wrong {
            #expect(!number.accepts(given, expected: "3"), "\(given)")
        }
        #expect(!number.accepts("one hundred zero", expected: "100"))
        #expect(!number.accepts("twenty-zero", expected: "20"))
        #expect(!number.accepts("1e3", expected: "1000"))
        for given in ["2", "two", "0", "zero", "1.5", "0.5 s"] {
            #expect(!seconds.accepts(given, expected: "1.00"), "\(given)")
        }
    }

    @Test("yes or no is right in any case, and only the word the run shows")
    func words() {
        #expect(word.accepts("no", expected: "no"))
        #expect(word.accepts(" No ", expected: "no"))
        #expect(word.accepts("YES", expected: "yes"))
        for given in ["", "yes", "n", "not", "no no"] {
            #expect(!word.accepts(given, expected: "no"), "\(given)")
        }
    }

    @Test("an errno name is accepted in any case and nothing else is")
    func errnoNames() {
        let errorName = AnswerRule.errorName { _ in nil }
        #expect(errorName.accepts("econnreset", expected: "ECONNRESET"))
        #expect(errorName.accepts(" EPIPE ", expected: "EPIPE"))
        for given in ["", "ECONNREFUSED", "reset", "EPIPE ECONNRESET"] {
            #expect(!errorName.accepts(given, expected: "ECONNRESET"), "\(given)")
        }
    }

    @Test("every question in every lesson says the form its answer takes")
    func everyQuestionSaysItsForm() {
        let errorName = AnswerRule.errorName { _ in nil }
        let forms = [bytes.form, number.form, seconds.form, word.form, errorName.form]
        for lesson in lessons {
            for question in lesson.questions {
                if case .oneOf(let words) = question.answer.kind {
                    #expect(words.count >= 2, "\(question.text)")
                } else {
                    #expect(forms.contains(question.answer.form), "\(question.text)")
                }
                #expect(!question.text.hasSuffix(")"), "says its form twice: \(question.text)")
            }
        }
        #expect(bytes.form.contains("b''") && bytes.form.contains("empty"))
        #expect(number.form.contains("seven"))
    }
}
