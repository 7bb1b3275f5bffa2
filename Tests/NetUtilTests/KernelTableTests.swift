import TestThreads
import Testing

@testable import NetUtil

@Suite("The kernel's connection table", .mayBlock)
struct KernelTableTests {
    @Test(
        "rows of /proc/net/tcp and tcp6 read as 127.0.0.1:port and [::1]:port, state 06 as TIME_WAIT"
    )
    func parsesRows() {
        // Two real lines, from a little-endian machine (the only kind Swift runs Linux on).
        let ipv4 = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt
               5: 0100007F:890F 0100007F:A132 06 00000000:00000000 03:00001770 00000000
               6: 0100007F:3039 00000000:0000 0A 00000000:00000000 00:00000000 00000000
            """
        let ipv6 = """
              sl  local_address                         remote_address                        st
               0: 00000000000000000000000001000000:3039 00000000000000000000000001000000:C350 06
            """
        #expect(
            tableRows(ipv4) == [
                KernelConnection(
                    local: "127.0.0.1:35087", remote: "127.0.0.1:41266", localPort: 35087,
                    state: "TIME_WAIT"),
                KernelConnection(
                    local: "127.0.0.1:12345", remote: "0.0.0.0:0", localPort: 12345,
                    state: "state 0A"),
            ])
        #expect(
            tableRows(ipv6) == [
                KernelConnection(
                    local: "[::1]:12345", remote: "[::1]:50000", localPort: 12345,
                    state: "TIME_WAIT")
            ])
    }
}
