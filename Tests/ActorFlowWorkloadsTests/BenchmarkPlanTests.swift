import ActorFlow
import ActorFlowWorkloads
import Testing

/// `actorflow bench`'s flag values: defaults, lists, and one clear error per bad value.
@Suite("Benchmark plan (command-line parsing)")
struct BenchmarkPlanTests {
    @Test("omitted flags mean every workload and policy, workers 1 and every CPU, trace none")
    func defaults() throws {
        let plan = try BenchmarkPlan(cpuCount: 4)
        #expect(plan.workloads == Workload.allCases)
        #expect(plan.policies == SchedulingPolicy.all)
        #expect(plan.workerCounts == [1, 4])
        #expect(plan.traceLevels == [.none])
        #expect(plan.repetitions == BenchmarkPlan.defaultRepetitions)
        #expect(plan.sizeOverride == nil)
        #expect(plan.size(of: .tree) == 17)
        #expect(plan.size(of: .wavefront) == 256)
        #expect(try BenchmarkPlan(cpuCount: 1).workerCounts == [1])
    }

    @Test("lists are comma-separated, trimmed, de-duplicated and keep their order")
    func lists() throws {
        let plan = try BenchmarkPlan(
            workloads: "tree, chain,tree", policies: "caller,ws-numa,caller", workers: "2,1,2", trace: "full,none",
            cpuCount: 2)
        #expect(plan.workloads == [.tree, .chain])
        #expect(plan.policies == [.callerThread, .workStealing(numaAware: true)])
        #expect(plan.workerCounts == [1, 2])
        #expect(plan.traceLevels == [.full, .none])
        let names = try BenchmarkPlan(workloads: "tiled-matmul,map-reduce,mlp", cpuCount: 2).workloads
        #expect(names == [.tiledMatMul, .mapReduce, .mlp])
    }

    @Test("--quick picks quick sizes and fewer repetitions; --size and --repetitions win over it")
    func quick() throws {
        let quick = try BenchmarkPlan(quick: true, cpuCount: 2)
        #expect(quick.repetitions == BenchmarkPlan.quickRepetitions)
        #expect(quick.size(of: .chain) == Workload.chain.quickSize)
        let explicit = try BenchmarkPlan(workloads: "chain", size: "500", repetitions: "7", quick: true, cpuCount: 2)
        #expect(explicit.repetitions == 7)
        #expect(explicit.size(of: .chain) == 500)
    }

    /// Parses and returns the error, recording an issue when parsing succeeds.
    private func failure(
        workloads: String? = nil, size: String? = nil, policies: String? = nil, workers: String? = nil,
        trace: String? = nil, repetitions: String? = nil
    ) -> BenchmarkArgumentError? {
        do {
            _ = try BenchmarkPlan(
                workloads: workloads, size: size, policies: policies, workers: workers, trace: trace,
                repetitions: repetitions, cpuCount: 2)
            Issue.record("expected an error")
            return nil
        } catch {
            return error
        }
    }

    @Test("an unknown workload is named and the valid ones listed")
    func badWorkload() {
        let error = failure(workloads: "chain,loop")
        #expect(error?.flag == "--workloads")
        #expect(error?.value == "loop")
        #expect(
            error?.description
                == "--workloads: unknown workload 'loop'; valid: chain, fanout, wavefront, tree, random, "
                + "tiled-matmul, mlp, map-reduce, add-chain, io-mix")
        #expect(failure(workloads: "chain,,tree")?.value == "")
        #expect(failure(workloads: "Chain")?.value == "Chain", "names are case-sensitive")
    }

    @Test("an unknown policy is named and the valid ones listed")
    func badPolicy() {
        let error = failure(policies: "ws,sequential")
        #expect(error?.value == "sequential")
        #expect(error?.description == "--policies: unknown policy 'sequential'; valid: ws-numa, ws, global, swift, caller")
    }

    @Test("worker counts must be integers in range", arguments: ["0", "-1", "two", "1.5", "4097", ""])
    func badWorkers(_ value: String) {
        let error = failure(workers: "1,\(value)")
        #expect(error?.flag == "--workers")
        #expect(error?.value == value)
        #expect(error?.valid == "integers 1...4096")
    }

    @Test("trace levels are none, software, hardware, full")
    func badTrace() throws {
        #expect(try BenchmarkPlan(trace: "hardware", cpuCount: 2).traceLevels == [.hardware])
        let error = failure(trace: "verbose")
        #expect(error?.description == "--trace: unknown trace level 'verbose'; valid: none, software, hardware, full")
    }

    @Test("repetitions must be a positive integer", arguments: ["0", "-3", "ten", ""])
    func badRepetitions(_ value: String) {
        let error = failure(repetitions: value)
        #expect(error?.flag == "--repetitions")
        #expect(error?.value == value)
    }

    @Test("a size must be positive and fit every chosen workload")
    func badSize() throws {
        #expect(failure(size: "0")?.flag == "--size")
        #expect(failure(size: "many")?.flag == "--size")
        let tooDeep = failure(workloads: "chain,tree", size: "100000")
        #expect(tooDeep?.description == "--size: 100000 is too large for tree (its size is a tree depth); valid: 1...23 for chain, tree")
        #expect(try BenchmarkPlan(workloads: "chain", size: "100000", cpuCount: 2).size(of: .chain) == 100_000)
    }
}
