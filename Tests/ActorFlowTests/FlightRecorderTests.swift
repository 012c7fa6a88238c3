import ActorFlow
import ActorFlowTestSupport
import Foundation
import Testing

/// `SessionOptions(flightRecorderSteps:)` keeps the step statistics of the last N steps, untraced ones and failed
/// ones included; `flightRecord()` returns them oldest first.
@Suite("Flight recorder")
struct FlightRecorderTests {
    static func names(_ md: RunMetadata) -> Set<String> {
        Set(md.stepStats.devStats.flatMap(\.nodeStats).map(\.nodeName))
    }

    @Test("keeps the last N untraced steps, oldest first, and leaves the caller's metadata untraced")
    func keepsLastSteps() throws {
        let g = Graph()
        let outputs = (0..<5).map { i in g.add(g.constant(Float(i), name: "c\(i)"), g.constant(Float(1)), name: "a\(i)") }
        let session = Session(graph: g, options: SessionOptions(flightRecorderSteps: 3))
        #expect(session.flightRecord().isEmpty)
        var md = RunMetadata()
        for (i, t) in outputs.enumerated() {
            #expect(try session.run(t, metadata: &md) == NDArray(Float(i + 1)))
            #expect(!md.hasStepStats, "noTrace: the caller's metadata has no step statistics")
        }
        let record = session.flightRecord()
        #expect(record.count == 3)
        #expect(record.map { Self.names($0).contains("a2") } == [true, false, false])
        #expect(record.map { Self.names($0).contains("a4") } == [false, false, true])
        for md in record {
            let nodes = md.stepStats.devStats[0].nodeStats
            #expect(nodes.allSatisfy { $0.allStartMicros > 0 && $0.threadID != 0 })
        }
    }

    @Test("off by default and with 0")
    func off() throws {
        let g = Graph()
        let t = g.constant(Float(1))
        for options in [SessionOptions(), SessionOptions(flightRecorderSteps: 0)] {
            let session = Session(graph: g, options: options)
            _ = try session.run(t)
            #expect(session.flightRecord().isEmpty)
        }
    }

    @Test("keeps the step of a throwing kernel, with the op that threw and what ran before it")
    func failingStep() throws {
        let g = Graph()
        let before = g.add(g.constant(Float(1), name: "one"), g.constant(Float(2), name: "two"), name: "before")
        let bad = g.customOp(name: "bad", inputs: [before], outputs: [(.float32, TensorShape.scalar)]) { _ in
            throw KernelFailure()
        }[0]
        let after = g.add(bad, g.constant(Float(1)), name: "after")
        let session = Session(graph: g, options: SessionOptions(flightRecorderSteps: 4))
        _ = try session.run(before)
        expectSessionError({ _ = try session.run(after) }) { if case .opFailed = $0 { true } else { false } }
        let record = session.flightRecord()
        #expect(record.count == 2)
        let failed = Self.names(try #require(record.last))
        #expect(failed.isSuperset(of: ["one", "two", "before", "bad"]))
        #expect(!failed.contains("after"), "nothing after the failing op ran")
    }

    @Test("keeps a step that ran past its deadline, once its last kernel returned")
    func deadlineStep() async throws {
        let g = Graph()
        // `slow` holds its worker until the test has seen the run fail, so it surely runs past the deadline (a
        // second: long enough for a worker of a loaded machine to have started it).
        let release = DispatchSemaphore(value: 0)
        let slow = g.customOp(name: "slow", inputs: [], outputs: [(.float32, TensorShape.scalar)]) { _ in
            _ = release.wait(timeout: .now() + 60)
            return [NDArray(Float(1))]
        }[0]
        let after = g.add(slow, g.constant(Float(1)), name: "after")
        let session = Session(graph: g, options: SessionOptions(flightRecorderSteps: 2))
        expectSessionError({ _ = try session.run(after, options: RunOptions(timeoutInMs: 1_000)) }) {
            if case .deadlineExceeded(1_000) = $0 { true } else { false }
        }
        // The run returned at its deadline while `slow` still ran; the step reaches the recorder when it drains.
        release.signal()
        await poll("the timed-out step to reach the flight recorder") { session.flightRecord().count == 1 }
        let record = session.flightRecord()
        #expect(record.count == 1)
        let names = Self.names(try #require(record.first))
        #expect(names.contains("slow"))
        #expect(!names.contains("after"))
    }
}

private struct KernelFailure: Error {}
