import ActorFlowWorkloads
import Testing

@Suite("Statistics")
struct StatisticsTests {
    @Test("percentiles interpolate between ranks (NumPy's linear method)")
    func knownData() {
        let s = Statistics(samples: [7, 1, 10, 3, 5, 2, 9, 4, 8, 6])
        #expect(s.sorted == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(s.median == 5.5)
        #expect(abs(s.p10 - 1.9) < 1e-12)
        #expect(abs(s.p90 - 9.1) < 1e-12)
        #expect(s.minimum == 1)
        #expect(s.maximum == 10)
        #expect(s.percentile(0) == 1)
        #expect(s.percentile(100) == 10)
        #expect(s.percentile(250) == 10, "clamped")
    }

    @Test("an odd count has its middle sample as the median")
    func oddCount() {
        let s = Statistics(samples: [5, 1, 4, 2, 3])
        #expect(s.median == 3)
        #expect(abs(s.p10 - 1.4) < 1e-12)
        #expect(abs(s.p90 - 4.6) < 1e-12)
    }

    @Test("one sample is every percentile")
    func single() {
        let s = Statistics(samples: [42])
        #expect(s.median == 42)
        #expect(s.p10 == 42)
        #expect(s.p90 == 42)
    }
}
