import ActorFlowWorkloads
import Testing

/// Each pattern's dependence sets against hand-worked examples of the paper's definitions (Task Bench, SC'20, and
/// its reference implementation's `core.cc`).
@Suite("Task Bench patterns")
struct TaskBenchPatternTests {
    private func deps(
        _ pattern: TaskBenchPattern, width: Int, steps: Int = 10, radix: Int = 3, _ step: Int, _ column: Int
    ) -> [Int] {
        TaskBenchGraphShape(pattern: pattern, width: width, steps: steps, radix: radix)
            .dependencies(step: step, column: column)
    }

    @Test("the first step has no dependencies, whatever the pattern")
    func firstStep() {
        for pattern in TaskBenchPattern.allCases {
            #expect(deps(pattern, width: 4, 0, 1) == [], "\(pattern)")
        }
    }

    @Test("trivial, no_comm, all_to_all")
    func simple() {
        #expect(deps(.trivial, width: 4, 3, 2) == [])
        #expect(deps(.no_comm, width: 4, 3, 2) == [2])
        #expect(deps(.all_to_all, width: 3, 1, 0) == [0, 1, 2])
    }

    @Test("stencil_1d clips at the edges; stencil_1d_periodic wraps around")
    func stencils() {
        #expect(deps(.stencil_1d, width: 4, 1, 0) == [0, 1])
        #expect(deps(.stencil_1d, width: 4, 1, 1) == [0, 1, 2])
        #expect(deps(.stencil_1d, width: 4, 1, 3) == [2, 3])
        #expect(deps(.stencil_1d_periodic, width: 4, 1, 0) == [0, 1, 3])
        #expect(deps(.stencil_1d_periodic, width: 4, 1, 3) == [0, 2, 3])
        // Width 2: the wrapped neighbour is the other column, counted once.
        #expect(deps(.stencil_1d_periodic, width: 2, 1, 0) == [0, 1])
    }

    @Test("dom: a diagonal band whose active columns grow then shrink")
    func dom() {
        let shape = TaskBenchGraphShape(pattern: .dom, width: 4, steps: 6)
        #expect((0..<6).map { shape.activeColumns(step: $0) } == [0..<1, 0..<2, 0..<3, 1..<4, 2..<4, 3..<4])
        #expect(shape.dependencies(step: 3, column: 1) == [0, 1])
        #expect(shape.dependencies(step: 3, column: 3) == [2], "column 3 did not exist at step 2")
        #expect(shape.dependencies(step: 4, column: 2) == [1, 2])
        #expect(shape.taskCount == 1 + 2 + 3 + 3 + 2 + 1)
    }

    @Test("tree: the width doubles each step, each task depends on its parent p / 2")
    func tree() {
        let shape = TaskBenchGraphShape(pattern: .tree, width: 8, steps: 5)
        #expect((0..<5).map { shape.activeColumns(step: $0).count } == [1, 2, 4, 8, 8])
        #expect(shape.dependencies(step: 1, column: 1) == [0])
        #expect(shape.dependencies(step: 3, column: 5) == [2])
        #expect(shape.dependencies(step: 4, column: 7) == [3])
    }

    @Test("fft: butterflies of stride 1, 2, 4, … cycling with the step")
    func fft() {
        #expect(deps(.fft, width: 8, 1, 0) == [0, 1])
        #expect(deps(.fft, width: 8, 1, 3) == [2, 3, 4])
        #expect(deps(.fft, width: 8, 2, 3) == [1, 3, 5])
        #expect(deps(.fft, width: 8, 3, 3) == [3, 7])
        #expect(deps(.fft, width: 8, 3, 5) == [1, 5])
        #expect(deps(.fft, width: 8, 4, 3) == [2, 3, 4], "back to stride 1 after log2(8) steps")
    }

    @Test("nearest: a window of radix columns, clipped; even radixes reach one further left")
    func nearest() {
        #expect(deps(.nearest, width: 8, radix: 5, 1, 0) == [0, 1, 2])
        #expect(deps(.nearest, width: 8, radix: 5, 1, 4) == [2, 3, 4, 5, 6])
        #expect(deps(.nearest, width: 8, radix: 4, 1, 4) == [2, 3, 4, 5])
        #expect(deps(.nearest, width: 8, radix: 3, 1, 4) == [3, 4, 5])
        #expect(deps(.nearest, width: 8, radix: 0, 1, 4) == [])
    }

    @Test("spread: radix columns W / radix apart, shifted by the step modulo the period")
    func spread() {
        #expect(deps(.spread, width: 8, radix: 2, 1, 0) == [0, 5])
        #expect(deps(.spread, width: 8, radix: 2, 3, 6) == [2, 6])
        #expect(deps(.spread, width: 8, radix: 2, 2, 6) == [4, 6])
    }

    @Test("random_nearest: a seeded subset of the nearest window that always keeps the task's own column")
    func randomNearest() {
        let a = TaskBenchGraphShape(pattern: .random_nearest, width: 16, steps: 6, radix: 5, seed: 1)
        let b = TaskBenchGraphShape(pattern: .random_nearest, width: 16, steps: 6, radix: 5, seed: 2)
        let nearest = TaskBenchGraphShape(pattern: .nearest, width: 16, steps: 6, radix: 5)
        var differs = false
        for step in 1..<6 {
            for p in 0..<16 {
                let d = a.dependencies(step: step, column: p)
                #expect(d.contains(p))
                #expect(Set(d).isSubset(of: nearest.dependencies(step: step, column: p)))
                #expect(d == a.dependencies(step: step, column: p), "deterministic")
                if d != b.dependencies(step: step, column: p) { differs = true }
            }
        }
        #expect(differs, "another seed chooses differently")
        var all = a
        all.fraction = 1
        #expect(all.dependencies(step: 2, column: 5) == [3, 4, 5, 6, 7])
        all.fraction = 0
        #expect(all.dependencies(step: 2, column: 5) == [5])
    }
}
