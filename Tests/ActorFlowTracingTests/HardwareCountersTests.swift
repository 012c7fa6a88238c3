import ActorFlowTestSupport
import Foundation
import Testing

@testable import ActorFlowTracing

#if canImport(Glibc)
import Glibc
#endif

/// Counter groups are per thread and the descriptor count is per process, so these tests run one at a time.
@Suite("HardwareCounters", .serialized)
struct HardwareCountersTests {
    static let hardware = HardwareCounters.availability.isAvailable
    static let software = HardwareCounters.availability(of: .software).isAvailable

    @Test("availability says plainly why counters cannot be read", .enabled(if: !hardware))
    func unavailableReason() throws {
        guard case .unavailable(let reason) = HardwareCounters.availability else { throw Unreachable() }
        #expect(reason.hasPrefix("hardware counters unavailable: perf_event_open(cycles, instructions, cache-misses) failed with "))
        #expect(reason.contains("("), "no strerror text: \(reason)")
        #expect(HardwareCounters.availability.description == reason)
        print("HardwareCounters.availability here: \(reason)")
    }

    @Test("measuring without counters runs the body once, returns nil, and opens nothing", .enabled(if: !hardware))
    func measureUnavailable() throws {
        let before = HardwareCounters.openDescriptorCount
        var runs = 0
        for i in 0..<1_000 {
            let (value, counters) = HardwareCounters.measure { runs += 1; return i * 2 }
            #expect(value == i * 2 && counters == nil)
        }
        #expect(runs == 1_000)
        #expect(HardwareCounters.currentThreadTotals() == nil)
        #expect(HardwareCounters.openDescriptorCount == before)
        #expect(throws: Boom.self) { try HardwareCounters.measure { throw Boom() } }
    }

    @Test("every errno becomes a sentence naming it", arguments: [ENOENT, EACCES, EPERM, ENOSYS, EMFILE, EINVAL])
    func reasons(code: Int32) {
        let reason = HardwareCounters.reason(PerfEvents.PerfError(code: code), events: .hardware)
        let symbol = ["ENOENT", "EACCES", "EPERM", "ENOSYS", "EMFILE", "EINVAL"][[ENOENT, EACCES, EPERM, ENOSYS, EMFILE, EINVAL].firstIndex(of: code)!]
        #expect(reason.contains("failed with \(symbol) ("), "\(reason)")
        if code == ENOENT { #expect(reason.contains("no usable PMU")) }
        if code == EACCES { #expect(reason.contains("perf_event_paranoid")) }
    }

    @Test("the measured path counts, stays monotonic and reuses one group per thread", .enabled(if: software))
    func softwareEventsOnOneThread() {
        HardwareCounters.closeCurrentThreadCounters()
        let baseline = HardwareCounters.openDescriptorCount
        var previous = HardwareCounters.currentThreadTotals(.software)
        #expect(previous != nil)
        #expect(HardwareCounters.openDescriptorCount == baseline + 3)
        for round in 0..<50 {
            let (sum, delta) = HardwareCounters.measure(.software) { (0..<20_000).reduce(0, &+) &+ round }
            #expect(sum == 199_990_000 + round)
            #expect(delta != nil)
            let now = HardwareCounters.currentThreadTotals(.software)
            if let p = previous, let n = now {
                #expect(n.cycles >= p.cycles && n.instructions >= p.instructions && n.cacheMisses >= p.cacheMisses)
            }
            previous = now
        }
        #expect(HardwareCounters.openDescriptorCount == baseline + 3)
        HardwareCounters.closeCurrentThreadCounters()
        #expect(HardwareCounters.openDescriptorCount == baseline)
    }

    @Test("a thread's group is closed when the thread exits", .enabled(if: software))
    func softwareEventsClosedAtThreadExit() throws {
        let baseline = HardwareCounters.openDescriptorCount
        let measured = joinedThreads(4) { _ in
            HardwareCounters.measure(.software) { (0..<1_000).reduce(0, &+) }.1 != nil
        }
        #expect(measured == [true, true, true, true])
        #expect(HardwareCounters.openDescriptorCount == baseline)
    }

    @Test("hardware counts are monotonic and count instructions", .enabled(if: hardware))
    func hardwareCounts() throws {
        let before = try #require(HardwareCounters.currentThreadTotals())
        let (_, delta) = HardwareCounters.measure { (0..<100_000).reduce(0, &+) }
        let after = try #require(HardwareCounters.currentThreadTotals())
        #expect(after.cycles >= before.cycles && after.instructions >= before.instructions)
        #expect(after.cacheMisses >= before.cacheMisses)
        #expect(try #require(delta).instructions > 0)
    }

    @Test("a reading whose group did not run gives no delta")
    func deltaRules() {
        let a = PerfEvents.Reading(counts: (10, 20, 30), timeEnabled: 100, timeRunning: 100)
        let b = PerfEvents.Reading(counts: (15, 26, 31), timeEnabled: 200, timeRunning: 180)
        #expect(HardwareCounters.delta(a, b) == HardwareCounterValues(cycles: 5, instructions: 6, cacheMisses: 1))
        let idle = PerfEvents.Reading(counts: (10, 20, 30), timeEnabled: 200, timeRunning: 100)
        #expect(HardwareCounters.delta(a, idle) == nil)
        let backwards = PerfEvents.Reading(counts: (9, 26, 31), timeEnabled: 200, timeRunning: 180)
        #expect(HardwareCounters.delta(a, backwards) == nil)
    }

    struct Boom: Error {}
    struct Unreachable: Error {}
}
