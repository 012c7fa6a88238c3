@testable import ActorFlowExecutor
import Testing

/// `IdleWorkers`' choice of sleeper: the most recent one, unless it shares the submitting thread's CPU and another
/// does not. Driven by hand: no thread parks, so `unpark` only leaves a token.
@Suite("IdleWorkers")
struct IdleWorkersTests {
    /// Three workers pinned to CPUs 0, 1, 2, all registered as asleep in index order (worker 2 last).
    private func allAsleep(cpus: [Int?] = [0, 1, 2]) -> IdleWorkers {
        let idle = IdleWorkers(parkers: cpus.map { _ in Parker() }, cpus: cpus)
        for index in cpus.indices { _ = idle.beginParking(index, searching: false) }
        return idle
    }

    @Test("without a CPU to avoid, the most recent sleeper wakes")
    func mostRecentFirst() {
        let idle = allAsleep()
        #expect(idle.notifyOne() == 2)
        #expect(idle.sleepingWorkers == [0, 1])
    }

    @Test("a submitter on the most recent sleeper's CPU wakes the next most recent one instead")
    func avoidsTheSubmittersCPU() {
        let idle = allAsleep()
        #expect(idle.notifyOne(avoidingCPU: 2) == 1)
        #expect(idle.sleepingWorkers == [0, 2])
    }

    @Test("a CPU no sleeper is pinned to changes nothing")
    func otherCPUChangesNothing() {
        let idle = allAsleep()
        #expect(idle.notifyOne(avoidingCPU: 7) == 2)
    }

    @Test("when every sleeper shares the submitter's CPU, one still wakes")
    func onlyCandidateStillWakes() {
        let idle = allAsleep(cpus: [0, 0])
        #expect(idle.notifyOne(avoidingCPU: 0) == 1)
    }

    @Test("unpinned sleepers count as not sharing the CPU")
    func unpinnedSleepersArePreferred() {
        let idle = allAsleep(cpus: [nil, 3])
        #expect(idle.notifyOne(avoidingCPU: 3) == 0)
    }

    @Test("nobody wakes while a woken worker is still searching")
    func searcherSuppressesWake() {
        let idle = allAsleep()
        #expect(idle.notifyOne(avoidingCPU: 0) == 2)
        #expect(idle.notifyOne(avoidingCPU: 0) == nil)
        #expect(idle.endSearching())
        #expect(idle.notifyOne(avoidingCPU: 0) == 1)
    }
}
