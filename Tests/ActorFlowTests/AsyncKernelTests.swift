@_spi(ActorFlowInternal) import ActorFlowCore
import ActorFlow
import ActorFlowTestSupport
import Foundation
import Synchronization
import Testing

/// Async kernels (`asyncCustomOp`, `Kernel.async`): they suspend without holding a worker, their successors see
/// their results, their errors fail the op, and a stopped step cancels them. These tests check results and the
/// order of events, never durations.
@Suite("Async kernels", .timeLimit(.minutes(5)))
struct AsyncKernelTests {
    /// The policies whose firings do not wait for Swift's cooperative pool: under `.swiftDefault` the firing that
    /// starts a kernel is a task on that pool, which the test runner's other tests may hold past any deadline (the
    /// step then skips the kernel, rightly, and there is nothing to cancel).
    static let deadlinePolicies = allPolicies.filter { $0 != .swiftDefault }

    /// A session on a 2-worker pool of its own, so that the deadline tests' kernels do not wait behind other
    /// tests' work on the shared pool (a sanitizer build of the whole suite keeps it busy for seconds).
    static func session(_ graph: Graph, policy: SchedulingPolicy) -> (Session, WorkStealingExecutor) {
        let pool = WorkStealingExecutor(workers: 2, policy: policy)
        return (Session(graph: graph, options: SessionOptions(policy: policy, executor: pool)), pool)
    }

    /// A graph of `count` async ops, each adding 1 to `x` after a suspension, summed by a chain of sync adds that
    /// interleave with them: the sum is `count * (x + 1)`.
    static func interleaved(count: Int) -> (Graph, x: Tensor, sum: Tensor) {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [], name: "x")
        var sum = g.constant(Float(0), name: "zero")
        for i in 0..<count {
            let later = g.asyncCustomOp(name: "later\(i)", inputs: [x], outputs: [(.float32, .scalar)]) { inputs in
                await Task.yield()
                return [NDArray(try inputs[0].scalar(as: Float.self) + 1)]
            }[0]
            sum = g.add(sum, later, name: "sum\(i)")
        }
        return (g, x, sum)
    }

    @Test("1000 async ops interleaved with sync ones give the right sum under every policy", arguments: allPolicies)
    func interleavedUnderEveryPolicy(policy: SchedulingPolicy) async throws {
        let (g, x, sum) = Self.interleaved(count: 1000)
        let session = Session(graph: g, options: SessionOptions(policy: policy))
        defer { session.close() }
        let results = try await onPlainThread { () -> [Float] in
            try (0..<3).map { run in try session.run(sum, feeds: [x: Float(run)]).scalar(as: Float.self) }
        }
        #expect(results == [1000, 2000, 3000])
    }

    @Test("back-to-back steps reuse the node while its previous task is still ending on the actor", arguments: allPolicies)
    func backToBackSteps(policy: SchedulingPolicy) async throws {
        // The last stretch of a step's async kernel delivers, finishes the step, and the task then ends on the node's
        // executor: the next step may fire the same node before that. Traced runs too (they time the stretches).
        let g = Graph()
        let x = g.placeholder(.float32, shape: [], name: "x")
        let later = g.asyncCustomOp(name: "later", inputs: [x], outputs: [(.float32, .scalar)]) { inputs in
            await Task.yield()
            return [NDArray(try inputs[0].scalar(as: Float.self) + 1)]
        }[0]
        let session = Session(graph: g, options: SessionOptions(policy: policy))
        defer { session.close() }
        let sums = try await onPlainThread { () -> [Float] in
            try (0..<300).map { i in
                var md = RunMetadata()
                let level: RunOptions.TraceLevel = i % 3 == 0 ? .softwareTrace : .noTrace
                return try session.run(later, feeds: [x: Float(i)], options: RunOptions(traceLevel: level), metadata: &md)
                    .scalar(as: Float.self)
            }
        }
        #expect(sums == (0..<300).map { Float($0 + 1) })
    }

    @Test("successors see the async result; a chain of async ops hands each value on")
    func successorsSeeTheResult() async throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [2], name: "x")
        var value = x
        for i in 0..<5 {
            let input = value
            value = g.asyncCustomOp(name: "double\(i)", inputs: [input], outputs: [(.float32, [2])]) { inputs in
                try await Task.sleep(for: .milliseconds(1))
                let v = try inputs[0].scalars(as: Float.self).map { $0 * 2 }
                return [try NDArray(shape: [2], scalars: v)]
            }[0]
        }
        let last = value
        let plusOne = g.add(last, g.constant([1, 1] as [Float]), name: "plusOne")
        let session = Session(graph: g)
        let out = try await onPlainThread { try session.run([plusOne, last], feeds: [x: [1, 3] as [Float]]) }
        #expect(try out[0].scalars(as: Float.self) == [33, 97])
        #expect(try out[1].scalars(as: Float.self) == [32, 96])
    }

    @Test("a kernel that suspends gives its worker back: two waiting kernels do not stop a 1-worker pool")
    func suspensionFreesTheWorker() async throws {
        // Both kernels wait for a sync op that can run only on the pool's single worker: if a waiting kernel held
        // the worker, the step could not finish.
        let g = Graph()
        let gate = AsyncGate()
        var waits: [Tensor] = []
        for i in 0..<2 {
            waits.append(g.asyncCustomOp(name: "wait\(i)", inputs: [], outputs: [(.float32, .scalar)]) { _ in
                await gate.wait()
                return [NDArray(Float(i))]
            }[0])
        }
        let opener = g.customOp(name: "opener", inputs: [], outputs: [(.float32, .scalar)]) { _ in
            gate.open()
            return [NDArray(Float(10))]
        }[0]
        let total = g.add(g.add(waits[0], waits[1]), opener, name: "total")
        let pool = WorkStealingExecutor(workers: 1)
        defer { pool.shutdown() }
        let session = Session(graph: g, options: SessionOptions(executor: pool))
        let out = try await onPlainThread { try session.run(total).scalar(as: Float.self) }
        #expect(out == 11)
    }

    @Test("ctx.sleep suspends without holding a worker: 50 sleeping kernels on a 1-worker pool give the right sum")
    func contextSleep() async throws {
        let g = Graph()
        var sum = g.constant(Float(0), name: "zero")
        for i in 0..<50 {
            let one = g.asyncCustomOp(name: "nap\(i)", inputs: [], outputs: [(.float32, .scalar)]) { _, ctx in
                try await ctx.sleep(for: .milliseconds(10 + i % 5))
                return [NDArray(Float(1))]
            }[0]
            sum = g.add(sum, one, name: "sum\(i)")
        }
        let pool = WorkStealingExecutor(workers: 1)
        defer { pool.shutdown() }
        let session = Session(graph: g, options: SessionOptions(executor: pool))
        let total = sum
        let out = try await onPlainThread { try session.run(total).scalar(as: Float.self) }
        #expect(out == 50)
    }

    @Test("an error thrown after a suspension fails the run naming the op; the session stays usable", arguments: allPolicies)
    func errorAfterSuspension(policy: SchedulingPolicy) async throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [], name: "x")
        let checked = g.asyncCustomOp(name: "checked", inputs: [x], outputs: [(.float32, .scalar)]) { inputs in
            try await Task.sleep(for: .milliseconds(1))
            let v = try inputs[0].scalar(as: Float.self)
            guard v >= 0 else { throw KernelError("negative input \(v)") }
            return inputs
        }[0]
        let y = g.mul(checked, g.constant(Float(3)), name: "y")
        let session = Session(graph: g, options: SessionOptions(policy: policy))
        defer { session.close() }
        let (failure, after) = try await onPlainThread { () -> (SessionError?, Float) in
            let failure = sessionError { try session.run(y, feeds: [x: Float(-1)]) }
            return (failure, try session.run(y, feeds: [x: Float(2)]).scalar(as: Float.self))
        }
        guard case .opFailed(let op, let underlying)? = failure else {
            Issue.record("expected opFailed, got \(String(describing: failure))")
            return
        }
        #expect(op == "checked")
        #expect("\(underlying)".contains("negative input -1"))
        #expect(after == 6)
    }

    @Test("outputs that do not match the declaration fail the op with the customOp message")
    func outputsAreChecked() async throws {
        let g = Graph()
        let wrong = g.asyncCustomOp(name: "wrong", inputs: [], outputs: [(.float32, .scalar)]) { _ in
            await Task.yield()
            return [NDArray(Int32(1))]
        }[0]
        let session = Session(graph: g)
        let failure = try await onPlainThread { sessionError { try session.run(wrong) } }
        guard case .opFailed("wrong", let underlying)? = failure else {
            Issue.record("expected opFailed(wrong), got \(String(describing: failure))")
            return
        }
        #expect("\(underlying)".contains("customOp 'wrong' output 0: expected dtype"))
    }

    /// How a kernel in the deadline test waits: Swift's `Task.sleep` or the engine's `KernelContext.sleep(for:)`.
    enum Sleep: String, Sendable, CustomTestStringConvertible {
        case task, context
        var testDescription: String { rawValue }
    }

    /// `Task.sleep` under every policy that can be stopped by a deadline; `ctx.sleep` under the default one.
    static let deadlineCases = deadlinePolicies.map { ($0, Sleep.task) } + [(.workStealing(numaAware: true), .context)]

    @Test(
        "a deadline cancels a suspended kernel: it sees Task.isCancelled and CancellationError, the run reports the deadline",
        arguments: deadlineCases)
    func deadlineCancels(policy: SchedulingPolicy, sleep: Sleep) async throws {
        let g = Graph()
        let started = Locked(false)
        let sawCancellation = Locked(false)
        let slow = g.asyncCustomOp(name: "slow", inputs: [], outputs: [(.float32, .scalar)]) { _, ctx in
            started.withLock { $0 = true }
            do {
                switch sleep {
                case .task: try await Task.sleep(for: .seconds(120))
                case .context: try await ctx.sleep(for: .seconds(120))
                }
            } catch {
                let cancelled = Task.isCancelled && error is CancellationError
                sawCancellation.withLock { $0 = cancelled }
                throw error
            }
            return [NDArray(Float(1))]
        }[0]
        let quick = g.constant(Float(5), name: "quick")
        let (session, pool) = Self.session(g, policy: policy)
        defer {
            session.close()
            pool.shutdown()
        }
        // A second, on a pool of its own: long enough for a loaded machine to start the kernel (a step stopped
        // before its kernel started skips it, which is right too, but leaves nothing to cancel).
        let (failure, after) = try await onPlainThread { () -> (SessionError?, Float) in
            let failure = sessionError { try session.run(slow, options: RunOptions(timeoutInMs: 1_000)) }
            return (failure, try session.run(quick).scalar(as: Float.self))
        }
        guard case .deadlineExceeded(1_000)? = failure else {
            Issue.record("expected deadlineExceeded(1000), got \(String(describing: failure))")
            return
        }
        #expect(after == 5)
        guard started.withLock({ $0 }) else {
            Issue.record("the kernel did not start within the deadline: nothing was cancelled")
            return
        }
        // The cancelled sleep ends at once; the run may have returned just before the kernel saw it.
        let deadline = ContinuousClock.now + defaultWaitLimit
        while !sawCancellation.withLock({ $0 }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(sawCancellation.withLock { $0 })
    }

    @Test("a kernel that ignores cancellation is not waited for; its late result is dropped", arguments: deadlinePolicies)
    func lateResultIsDropped(policy: SchedulingPolicy) async throws {
        let g = Graph()
        let gate = AsyncGate()
        let started = Locked(false)
        let finished = Locked(false)
        let stubborn = g.asyncCustomOp(name: "stubborn", inputs: [], outputs: [(.float32, .scalar)]) { _ in
            started.withLock { $0 = true }
            await gate.wait()  // ignores cancellation
            finished.withLock { $0 = true }
            return [NDArray(Float(1))]
        }[0]
        let after = g.add(stubborn, g.constant(Float(1)), name: "after")
        let (session, pool) = Self.session(g, policy: policy)
        defer {
            session.close()
            pool.shutdown()
        }
        let failure = try await onPlainThread { sessionError { try session.run(after, options: RunOptions(timeoutInMs: 1_000)) } }
        guard case .deadlineExceeded(1_000)? = failure else {
            Issue.record("expected deadlineExceeded(1000), got \(String(describing: failure))")
            gate.open()
            return
        }
        guard started.withLock({ $0 }) else {
            Issue.record("the kernel did not start within the deadline")
            gate.open()
            return
        }
        #expect(!finished.withLock { $0 }, "the run returned while the kernel still waited")
        gate.open()
        let deadline = ContinuousClock.now + defaultWaitLimit
        while !finished.withLock({ $0 }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(finished.withLock { $0 })
        // A new run of the same plan gets a fresh step and a fresh kernel (the gate is open now).
        let again = try await onPlainThread { try session.run(after).scalar(as: Float.self) }
        #expect(again == 2)
    }

    @Test("close() cancels a suspended kernel and ends its run with cancelled")
    func closeCancels() async throws {
        let g = Graph()
        let started = AsyncGate()
        let sawCancellation = Locked(false)
        let slow = g.asyncCustomOp(name: "slow", inputs: [], outputs: [(.float32, .scalar)]) { _ in
            started.open()
            do {
                try await Task.sleep(for: .seconds(120))
            } catch {
                let cancelled = Task.isCancelled
                sawCancellation.withLock { $0 = cancelled }
                throw error
            }
            return [NDArray(Float(1))]
        }[0]
        let session = Session(graph: g)
        async let failure = onPlainThread { sessionError { try session.run(slow) } }
        await started.wait()
        session.close()
        let error = try await failure
        guard case .cancelled? = error else {
            Issue.record("expected cancelled, got \(String(describing: error))")
            return
        }
        // The run may return before the cancelled sleep resumed the kernel (it is not waited for past a short grace).
        let deadline = ContinuousClock.now + defaultWaitLimit
        while !sawCancellation.withLock({ $0 }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(sawCancellation.withLock { $0 })
    }

    @Test("an async op inside a partial run")
    func partialRun() async throws {
        let g = Graph()
        let x = g.placeholder(.float32, shape: [], name: "x")
        let w = g.placeholder(.float32, shape: [], name: "w")
        let slowX = g.asyncCustomOp(name: "slowX", inputs: [x], outputs: [(.float32, .scalar)]) { inputs in
            try await Task.sleep(for: .milliseconds(2))
            return [NDArray(try inputs[0].scalar(as: Float.self) * 10)]
        }[0]
        let total = g.add(slowX, w, name: "total")
        let session = Session(graph: g)
        let (first, second) = try await onPlainThread { () -> (Float, Float) in
            let handle = try session.partialRunSetup(fetches: [slowX, total], feeds: [x, w])
            let first = try session.partialRun(handle, fetches: slowX, feeds: [x: Float(4)]).scalar(as: Float.self)
            let second = try session.partialRun(handle, fetches: total, feeds: [w: Float(2)]).scalar(as: Float.self)
            return (first, second)
        }
        #expect(first == 40)
        #expect(second == 42)
    }

    @Test("under .callerThread every job of an async kernel runs on the caller's thread")
    func callerThreadDrivesTheJobs() async throws {
        let g = Graph()
        let threads = Locked<[UInt32]>([])
        let hops = g.asyncCustomOp(name: "hops", inputs: [], outputs: [(.float32, .scalar)]) { _ in
            threads.withLock { $0.append(CurrentWorker.threadID) }
            try await Task.sleep(for: .milliseconds(2))
            threads.withLock { $0.append(CurrentWorker.threadID) }
            await Task.yield()
            threads.withLock { $0.append(CurrentWorker.threadID) }
            return [NDArray(Float(7))]
        }[0]
        let after = g.mul(hops, g.constant(Float(2)), name: "after")
        let session = Session(graph: g, options: SessionOptions(policy: .callerThread))
        let (value, caller) = try await onPlainThread { () -> (Float, UInt32) in
            (try session.run(after).scalar(as: Float.self), CurrentWorker.threadID)
        }
        #expect(value == 14)
        #expect(threads.withLock { $0 } == [caller, caller, caller])
    }

    @Test("a traced async op reports its suspension in its label, and its successors start after it ended")
    func tracedSuspension() async throws {
        let g = Graph()
        let waited = g.asyncCustomOp(name: "waited", inputs: [], outputs: [(.float32, [3])]) { _ in
            try await Task.sleep(for: .milliseconds(20))
            return [try NDArray(shape: [3], scalars: [1, 2, 3] as [Float])]
        }[0]
        let after = g.add(waited, g.constant([1, 1, 1] as [Float]), name: "after")
        let session = Session(graph: g)
        let md = try await onPlainThread { () -> RunMetadata in
            var md = RunMetadata()
            _ = try session.run(after, options: RunOptions(traceLevel: .softwareTrace), metadata: &md)
            return md
        }
        let nodes = md.stepStats.devStats[0].nodeStats
        let async = try #require(nodes.first { $0.nodeName == "waited" })
        let successor = try #require(nodes.first { $0.nodeName == "after" })
        #expect(async.timelineLabel.hasPrefix("waited = AsyncCustomOp()"))
        #expect(async.timelineLabel.contains("[suspended "))
        #expect(async.output.count == 1 && async.output[0].tensorDescription.allocationDescription.requestedBytes == 12)
        #expect(async.opEndRelNanos >= async.opStartRelNanos)
        let asyncEnd = async.allStartNanos + async.allEndRelNanos
        #expect(successor.scheduledNanos >= asyncEnd - 1_000, "scheduled when the async op ended")
        #expect(successor.allStartNanos >= successor.scheduledNanos)
    }
}

/// A one-shot gate async code can wait on without blocking a thread.
final class AsyncGate: Sendable {
    private let state = Locked<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
