import ActorFlow
import ArgumentParser
import Foundation
import Synchronization

extension ActorFlowCommand {
    /// `actorflow async`: async kernels that wait, alone and next to a compute graph on the same pool.
    struct AsyncBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "async",
            abstract: "Time steps of async kernels that wait, alone and beside a compute graph on the same pool.",
            discussion: """
                The wait graph has N independent async ops (asyncCustomOp) that each sleep for the given \
                milliseconds (--sleep kernel: KernelContext.sleep, ActorFlow's kernel timer; --sleep task: Swift's \
                Task.sleep) and return a scalar, summed by one add chain. A pool of W workers runs it; \
                if a waiting kernel held its worker, a step would take N × ms / W. The compute graph is 8 \
                independent S×S matMuls reduced to a scalar (real kernels, no waiting). The table gives median \
                step times: the wait graph alone; the compute graph alone; the compute graph while another \
                thread runs wait steps back to back on the same pool (its slowdown is what waiting kernels cost \
                other work); and, with --blocking, the same wait graph with kernels that block their thread \
                (usleep) instead of suspending. Progress goes to standard error.
                """)

        @Option(help: "Async ops in the wait graph (default 200).")
        var ops: Int = 200

        @Option(name: .customLong("sleep-ms"), help: "Milliseconds each async op awaits (default 20).")
        var sleepMs: Int = 20

        @Option(help: "How the async ops sleep: kernel (ctx.sleep, ActorFlow's kernel timer) or task (Task.sleep).")
        var sleep: SleepKind = .kernel

        enum SleepKind: String, ExpressibleByArgument, CaseIterable {
            case kernel, task
        }

        @Option(help: "Pool workers (default 2).")
        var workers: Int = 2

        @Option(name: .customLong("matmul-size"), help: "S of the compute graph's S×S matMuls (default 256).")
        var matMulSize: Int = 256

        @Option(help: "Timed steps per measurement and round (default 15).")
        var repetitions: Int = 15

        @Option(help: "Rounds of compute-alone then compute-beside measurements, alternated (default 4).")
        var rounds: Int = 4

        @Flag(help: "Also time the wait graph with kernels that block their thread (one step: N × ms / W).")
        var blocking = false

        func validate() throws {
            guard ops > 0, sleepMs >= 0, workers > 0, matMulSize > 0, repetitions > 0, rounds > 0 else {
                throw ValidationError("--ops, --workers, --matmul-size and --repetitions must be positive, --sleep-ms ≥ 0")
            }
        }

        func run() throws {
            let pool = WorkStealingExecutor(workers: workers)
            defer { pool.shutdown() }
            let (waitGraph, waitSum) = Self.waitGraph(ops: ops, sleepMs: sleepMs, blocking: false, sleep: sleep)
            let (computeGraph, computeSum) = Self.computeGraph(size: matMulSize)
            let waits = Session(graph: waitGraph, options: SessionOptions(executor: pool))
            let compute = Session(graph: computeGraph, options: SessionOptions(executor: pool))
            defer {
                waits.close()
                compute.close()
            }
            let expected = Float(ops)
            for _ in 0..<2 {
                guard try waits.run(waitSum).scalar(as: Float.self) == expected else {
                    throw ValidationError("the wait graph computed a wrong sum")
                }
                _ = try compute.run(computeSum)
            }
            log("wait graph alone")
            let cpuBefore = Self.processCPUMilliseconds()
            let waitAlone = try median { _ = try waits.run(waitSum) }
            let waitCPU = (Self.processCPUMilliseconds() - cpuBefore) / Double(repetitions)
            // Alone and beside alternate in rounds, so drift on a shared machine falls on both alike.
            var (alone, beside): ([Double], [Double]) = ([], [])
            for round in 1...rounds {
                log("round \(round)/\(rounds): compute graph alone, then beside back-to-back wait steps")
                alone += try times { _ = try compute.run(computeSum) }
                beside += try besideWaits(waits, waitSum) { try times { _ = try compute.run(computeSum) } }
            }
            let computeAlone = alone.sorted()[alone.count / 2]
            let computeBeside = beside.sorted()[beside.count / 2]
            print("workers \(workers), \(ops) async ops × \(sleepMs) ms (\(sleep == .kernel ? "ctx.sleep" : "Task.sleep")); compute: 8 matMuls \(matMulSize)×\(matMulSize)")
            print("measurement                                   median ms")
            print(row("wait graph, async kernels (suspend)", waitAlone))
            print(row("  CPU time per wait step (all threads)", waitCPU))
            print(row("  if each wait held a worker: N × ms / W", Double(ops * sleepMs) / Double(workers)))
            print(row("compute graph alone", computeAlone))
            print(row("compute graph beside the wait graph", computeBeside))
            print(String(format: "compute slowdown beside waiting kernels: %+.1f %%", (computeBeside / computeAlone - 1) * 100))
            if blocking {
                let (blockingGraph, blockingSum) = Self.waitGraph(ops: ops, sleepMs: sleepMs, blocking: true, sleep: sleep)
                let blocked = Session(graph: blockingGraph, options: SessionOptions(executor: pool))
                defer { blocked.close() }
                log("wait graph with blocking kernels (one step)")
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try blocked.run(blockingSum)
                print(row("wait graph, blocking kernels (usleep)", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6))
            }
        }

        /// N independent waiting ops summed by an add chain.
        static func waitGraph(ops: Int, sleepMs: Int, blocking: Bool, sleep: SleepKind) -> (Graph, Tensor) {
            let g = Graph()
            var sum = g.constant(Float(0), name: "zero")
            for i in 0..<ops {
                let one: Tensor
                if blocking {
                    one = g.customOp(name: "block\(i)", inputs: [], outputs: [(.float32, .scalar)]) { _ in
                        usleep(UInt32(sleepMs * 1000))
                        return [NDArray(Float(1))]
                    }[0]
                } else {
                    one = g.asyncCustomOp(name: "wait\(i)", inputs: [], outputs: [(.float32, .scalar)]) { _, ctx in
                        switch sleep {
                        case .kernel: try await ctx.sleep(for: .milliseconds(sleepMs))
                        case .task: try await Task.sleep(for: .milliseconds(sleepMs))
                        }
                        return [NDArray(Float(1))]
                    }[0]
                }
                sum = g.add(sum, one, name: "sum\(i)")
            }
            return (g, sum)
        }

        /// Eight independent S×S matMuls, each reduced to a scalar, summed.
        static func computeGraph(size: Int) -> (Graph, Tensor) {
            let g = Graph()
            let values = (0..<(size * size)).map { Float($0 % 17) / 17 }
            var total = g.constant(Float(0), name: "zero")
            for i in 0..<8 {
                let a = g.constant(try! NDArray(shape: [size, size], scalars: values), name: "a\(i)")
                let product = g.matMul(a, a, name: "mm\(i)")
                total = g.add(total, g.reduceSum(product), name: "total\(i)")
            }
            return (g, total)
        }

        /// User and system CPU time of the whole process so far, in milliseconds.
        static func processCPUMilliseconds() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            func ms(_ t: timeval) -> Double { Double(t.tv_sec) * 1e3 + Double(t.tv_usec) / 1e3 }
            return ms(usage.ru_utime) + ms(usage.ru_stime)
        }

        /// The median wall time of `repetitions` calls of `body`, in milliseconds.
        private func median(_ body: () throws -> Void) throws -> Double {
            let measured = try times(body)
            return measured.sorted()[measured.count / 2]
        }

        /// The wall times of `repetitions` calls of `body`, in milliseconds.
        private func times(_ body: () throws -> Void) throws -> [Double] {
            var times: [Double] = []
            for _ in 0..<repetitions {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return times
        }

        /// Runs `body` while another thread runs wait steps back to back.
        private func besideWaits<R>(_ waits: Session, _ sum: Tensor, _ body: () throws -> R) throws -> R {
            let stop = StopFlag()
            let stopped = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                while !stop.isSet { _ = try? waits.run(sum) }
                stopped.signal()
            }
            defer {
                stop.set()
                stopped.wait()
            }
            return try body()
        }

        private func row(_ label: String, _ ms: Double) -> String {
            label.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%9.2f", ms)
        }

        private func log(_ message: String) {
            FileHandle.standardError.write(Data(("async: " + message + "\n").utf8))
        }
    }
}

/// A flag one thread sets and another polls.
private final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
