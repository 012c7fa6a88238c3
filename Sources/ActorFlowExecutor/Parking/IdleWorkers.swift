@_spi(ActorFlowInternal) import ActorFlowCore
import Synchronization

/// Who is searching for work and who sleeps: the pool's wake-up policy.
///
/// One atomic word counts *searching* workers (out of local work, stealing) and *unparked* workers (not
/// asleep); a locked list holds the sleepers. A producer wakes a sleeper only when nobody is searching
/// (a searcher will find its work), and the woken worker is counted as searching at once, so a burst of
/// pushes wakes one worker, not one per push. A searcher that finds work while it is the last searcher
/// wakes the next sleeper, so parallelism ramps up one worker at a time. At most half the workers search
/// at once. (The scheme of Tokio's multi-threaded scheduler.)
///
/// No lost wake-ups: a producer publishes its work, then (after a sequentially consistent fence) reads
/// the word; a worker going to sleep updates the word (sequentially consistent), and if it was the last
/// searcher looks at every queue once more before it sleeps.
final class IdleWorkers: Sendable {
    private static let unparkedUnit = 1 << 32
    private static let searchingMask = (1 << 32) - 1

    let workerCount: Int
    private let state: Atomic<Int>
    private let sleepers: Locked<[Int]>
    private let parkers: [Parker]
    /// The CPU each worker is pinned to, or `nil` (unpinned): what ``notifyOne(avoidingCPU:)`` looks at.
    private let cpus: [Int?]

    /// `cpus[i]` is the CPU worker `i` will be pinned to (`nil`: none); defaults to none.
    init(parkers: [Parker], cpus: [Int?]? = nil) {
        self.parkers = parkers
        self.cpus = cpus ?? parkers.map { _ in nil }
        precondition(self.cpus.count == parkers.count, "one CPU entry per worker")
        workerCount = parkers.count
        state = Atomic(parkers.count * IdleWorkers.unparkedUnit)
        var list: [Int] = []
        list.reserveCapacity(parkers.count)
        sleepers = Locked(list)
    }

    private static func searching(_ state: Int) -> Int { state & searchingMask }
    private static func unparked(_ state: Int) -> Int { state >> 32 }

    private func shouldWake(_ state: Int) -> Bool {
        IdleWorkers.searching(state) == 0 && IdleWorkers.unparked(state) < workerCount
    }

    /// A cheap, possibly stale check a producer makes after each push: is there a sleeper and no searcher?
    @inline(__always)
    var wantsNotification: Bool { shouldWake(state.load(ordering: .relaxed)) }

    /// Wakes one sleeper if nobody is searching. Returns the index of the worker woken.
    ///
    /// The most recent sleeper is woken (its caches are the warmest), except that with `avoidingCPU` a sleeper
    /// pinned to another CPU is preferred: a thread outside the pool (a caller starting a step, an unpinned
    /// thread submitting work) passes its own CPU, so the worker it wakes does not share that CPU with it while
    /// another CPU idles.
    @discardableResult
    func notifyOne(avoidingCPU: Int? = nil) -> Int? {
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        guard shouldWake(state.load(ordering: .sequentiallyConsistent)) else { return nil }
        let woken: Int? = sleepers.withLock { list in
            guard shouldWake(state.load(ordering: .sequentiallyConsistent)), !list.isEmpty else { return nil }
            var position = list.count - 1
            if let avoidingCPU, cpus[list[position]] == avoidingCPU,
                let other = list.lastIndex(where: { cpus[$0] != avoidingCPU })
            {
                position = other
            }
            state.add(IdleWorkers.unparkedUnit + 1, ordering: .sequentiallyConsistent)
            return list.remove(at: position)
        }
        if let woken { parkers[woken].unpark() }
        return woken
    }

    /// A worker out of local work asks to search; refused when half the workers already search.
    func tryBeginSearching() -> Bool {
        let current = state.load(ordering: .sequentiallyConsistent)
        guard 2 * IdleWorkers.searching(current) < max(1, workerCount) else { return false }
        state.add(1, ordering: .sequentiallyConsistent)
        return true
    }

    /// A searcher found work. Returns whether it was the last searcher (then it should ``notifyOne()``).
    func endSearching() -> Bool {
        IdleWorkers.searching(state.subtract(1, ordering: .sequentiallyConsistent).oldValue) == 1
    }

    /// Registers worker `index` as asleep (it parks right after). Returns whether it was the last searcher:
    /// then it must look at every queue once more and ``notifyOne()`` if it finds work.
    func beginParking(_ index: Int, searching: Bool) -> Bool {
        sleepers.withLock { list in
            let delta = IdleWorkers.unparkedUnit + (searching ? 1 : 0)
            let old = state.subtract(delta, ordering: .sequentiallyConsistent).oldValue
            list.append(index)
            return searching && IdleWorkers.searching(old) == 1
        }
    }

    /// Wakes every sleeper (shutdown). Each is counted as searching, as after ``notifyOne()``.
    func unparkAll() {
        let woken: [Int] = sleepers.withLock { list in
            let all = list
            list.removeAll()
            state.add(all.count * (IdleWorkers.unparkedUnit + 1), ordering: .sequentiallyConsistent)
            return all
        }
        for index in woken { parkers[index].unpark() }
    }

    /// The indices of sleeping workers (tests).
    var sleepingWorkers: [Int] { sleepers.withLock { $0 } }
}
