// Memory for the whole server, not one client: --queue-limit bounds what one
// client may leave unread, but a thousand clients times that is gigabytes.
import NetUtil

/// Answer bytes queued across every connection, against `--answer-budget`.
/// While it is used up, no client is read, so no new answer is made.
final class AnswerBudget {
    let limit: Int
    private(set) var queued = 0

    init(limit: Int) {
        self.limit = limit
    }

    var hasRoom: Bool { queued < limit }

    /// Counts bytes queued (`change` > 0) or sent or dropped (`change` < 0),
    /// with one trace line each time the budget fills up or frees up again.
    func update(by change: Int) {
        let hadRoom = hasRoom
        queued += change
        if hadRoom && !hasRoom {
            trace(
                "\(byteCount(queued)) of answers queued for all clients, over --answer-budget: "
                    + "reading no client until they are sent")
        } else if !hadRoom && hasRoom {
            trace("answers queued for all clients under --answer-budget: reading clients again")
        }
    }
}
