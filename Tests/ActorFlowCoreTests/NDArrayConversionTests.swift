import ActorFlowCore
import Testing

/// `NDArray.converted(to:)`: TensorFlow's feed conversions (NumPy's `asarray(value, dtype)`), minus the
/// silent corruptions.
@Suite("NDArray conversion")
struct NDArrayConversionTests {
    @Test func sameDTypeIsTheSameValue() throws {
        let a = NDArray([1, 2] as [Float])
        let b = try a.converted(to: .float32)
        #expect(b == a && b.sharesStorage(with: a))
    }

    @Test func shapeIsKept() throws {
        let m = try NDArray([[1, 2], [3, 4]]).converted(to: .float32)
        #expect(m.dtype == .float32 && m.dimensions == [2, 2] && m.storage == .float32([1, 2, 3, 4]))
        let empty = try NDArray([] as [Double]).converted(to: .int32)
        #expect(empty.dtype == .int32 && empty.dimensions == [0])
        #expect(try NDArray(Int32(3)).converted(to: .float64) == NDArray(Double(3)))
    }

    // MARK: Integers

    @Test func widerIntegersNarrowOnlyWhenEveryValueFits() throws {
        #expect(try NDArray([1, -2] as [Int64]).converted(to: .int32).storage == .int32([1, -2]))
        let edges = [Int64(Int32.max), Int64(Int32.min)]
        #expect(try NDArray(edges).converted(to: .int32).storage == .int32([.max, .min]))
        #expect(
            invalidValueReason { try NDArray([1, 1 << 40, 1 << 41] as [Int64]).converted(to: .int32) }
                == "value 1099511627776 does not fit the target integer type; "
                + "try a larger type for the tensor (e.g. int64)"
        )
        #expect(
            invalidValueReason { try NDArray([Int64(Int32.max) + 1]).converted(to: .int32) }?
                .hasPrefix("value 2147483648 does not fit the target integer type") == true
        )
        #expect(
            invalidValueReason { try NDArray([Int64(Int32.min) - 1]).converted(to: .int32) }?
                .hasPrefix("value -2147483649 does not fit the target integer type") == true
        )
        #expect(try NDArray([Int32.min, Int32.max]).converted(to: .int64).storage == .int64([-2147483648, 2147483647]))
    }

    // MARK: Floating point to integer

    @Test func floatsTruncateTowardZero() throws {
        let values: [Double] = [1.7, -1.7, 0.5, -0.5, 2.0, -2.0]
        #expect(try NDArray(values).converted(to: .int32).storage == .int32([1, -1, 0, 0, 2, -2]))
        #expect(try NDArray(values).converted(to: .int64).storage == .int64([1, -1, 0, 0, 2, -2]))
        #expect(try NDArray([1.7, -1.7] as [Float]).converted(to: .int32).storage == .int32([1, -1]))
    }

    @Test func nonFiniteFloatsAreRejected() {
        #expect(
            invalidValueReason { try NDArray([1, .nan] as [Double]).converted(to: .int32) }
                == "value nan cannot be converted to an integer without overflow"
        )
        #expect(
            invalidValueReason { try NDArray([Float.infinity]).converted(to: .int64) }
                == "value inf cannot be converted to an integer without overflow"
        )
        #expect(
            invalidValueReason { try NDArray([-Double.infinity]).converted(to: .int32) }
                == "value -inf cannot be converted to an integer without overflow"
        )
    }

    @Test func int32Boundaries() throws {
        // Int32.max is exact as a Double, and fractions above it still truncate into range.
        let inRange: [Double] = [2147483647.0, 2147483647.9, -2147483648.0, -2147483648.9]
        #expect(
            try NDArray(inRange).converted(to: .int32).storage
                == .int32([.max, .max, .min, .min])
        )
        #expect(
            invalidValueReason { try NDArray([2147483648.0]).converted(to: .int32) }
                == "value 2147483648.0 cannot be converted to an integer without overflow"
        )
        #expect(
            invalidValueReason { try NDArray([-2147483649.0]).converted(to: .int32) }
                == "value -2147483649.0 cannot be converted to an integer without overflow"
        )
        // The largest Float below 2^31 fits; 2^31 itself does not.
        #expect(try NDArray([Float(2147483520)]).converted(to: .int32).storage == .int32([2147483520]))
        #expect(
            invalidValueReason { try NDArray([Float(2147483648)]).converted(to: .int32) }
                == "value 2147483648.0 cannot be converted to an integer without overflow"
        )
    }

    @Test func int64Boundaries() throws {
        // Double(Int64.max) rounds up to 2^63, which does not fit; the Double just below it does.
        #expect(
            invalidValueReason { try NDArray([Double(Int64.max)]).converted(to: .int64) }
                == "value 9.223372036854776e+18 cannot be converted to an integer without overflow"
        )
        #expect(
            try NDArray([9223372036854774784.0, -9223372036854775808.0]).converted(to: .int64).storage
                == .int64([9223372036854774784, .min])
        )
        #expect(
            invalidValueReason { try NDArray([-9223372036854777856.0]).converted(to: .int64) }
                == "value -9.223372036854778e+18 cannot be converted to an integer without overflow"
        )
    }

    // MARK: Bool

    @Test func boolsBecomeZeroAndOne() throws {
        let b = NDArray([true, false])
        #expect(try b.converted(to: .float32).storage == .float32([1, 0]))
        #expect(try b.converted(to: .float64).storage == .float64([1, 0]))
        #expect(try b.converted(to: .int32).storage == .int32([1, 0]))
        #expect(try b.converted(to: .int64).storage == .int64([1, 0]))
    }

    @Test func onlyZeroAndOneBecomeBools() throws {
        #expect(try NDArray([0, 1, 1] as [Int32]).converted(to: .bool).storage == .bool([false, true, true]))
        #expect(try NDArray([1.0, 0.0, -0.0]).converted(to: .bool).storage == .bool([true, false, false]))
        #expect(try NDArray([0, 1] as [Int]).converted(to: .bool).storage == .bool([false, true]))
        #expect(
            invalidValueReason { try NDArray([0, 2] as [Int32]).converted(to: .bool) }
                == "value 2.0 is not compatible with a bool tensor (only 0 and 1 are)"
        )
        #expect(
            invalidValueReason { try NDArray([Float(0.5)]).converted(to: .bool) }
                == "value 0.5 is not compatible with a bool tensor (only 0 and 1 are)"
        )
        #expect(
            invalidValueReason { try NDArray([-1] as [Int64]).converted(to: .bool) }
                == "value -1.0 is not compatible with a bool tensor (only 0 and 1 are)"
        )
        #expect(
            invalidValueReason { try NDArray([Double.nan]).converted(to: .bool) }
                == "value nan is not compatible with a bool tensor (only 0 and 1 are)"
        )
        #expect(
            invalidValueReason { try NDArray(["true"]).converted(to: .bool) }
                == "string value 'true' is not compatible with a bool tensor"
        )
    }

    // MARK: Strings

    @Test func stringsParseAsNumbersIgnoringSurroundingWhitespace() throws {
        let text = NDArray([" 3.5 ", "\t-2\n", "1e3"])
        #expect(try text.converted(to: .float32).storage == .float32([3.5, -2, 1000]))
        #expect(try text.converted(to: .float64).storage == .float64([3.5, -2, 1000]))
        let ints = NDArray(["  42 ", "-7", "+5"])
        #expect(try ints.converted(to: .int32).storage == .int32([42, -7, 5]))
        #expect(try ints.converted(to: .int64).storage == .int64([42, -7, 5]))
        #expect(try NDArray(["9223372036854775807"]).converted(to: .int64).storage == .int64([.max]))
    }

    @Test func unparsableStringsAreRejectedWithNumPysWording() {
        #expect(
            invalidValueReason { try NDArray(["1", "abc"]).converted(to: .float32) }
                == "could not convert string to float: 'abc'"
        )
        #expect(
            invalidValueReason { try NDArray([""]).converted(to: .float64) } == "could not convert string to float: ''"
        )
        #expect(
            invalidValueReason { try NDArray(["abc"]).converted(to: .int32) }
                == "invalid literal for int() with base 10: 'abc'"
        )
        // NumPy parses integer targets with int(): a decimal or exponent is not an integer literal.
        #expect(
            invalidValueReason { try NDArray(["3.9"]).converted(to: .int32) }
                == "invalid literal for int() with base 10: '3.9'"
        )
        #expect(
            invalidValueReason { try NDArray([" 1e3"]).converted(to: .int64) }
                == "invalid literal for int() with base 10: ' 1e3'"
        )
    }

    @Test func integerStringsThatDoNotFitNameTheValue() {
        #expect(
            invalidValueReason { try NDArray(["4294967296"]).converted(to: .int32) }
                == "value 4294967296 does not fit the target integer type; "
                + "try a larger type for the tensor (e.g. int64)"
        )
        #expect(
            invalidValueReason { try NDArray([" 99999999999999999999 "]).converted(to: .int64) }
                == "value 99999999999999999999 does not fit the target integer type"
        )
    }

    @Test func numbersNeverBecomeStrings() {
        #expect(
            invalidValueReason { try NDArray([1] as [Float]).converted(to: .string) }
                == "a float value is not compatible with a string tensor (convert it to String explicitly)"
        )
        #expect(
            invalidValueReason { try NDArray(Int32(1)).converted(to: .string) }
                == "a int32 value is not compatible with a string tensor (convert it to String explicitly)"
        )
        #expect(invalidValueReason { try NDArray(true).converted(to: .string) }?.hasPrefix("a bool value") == true)
    }

    // MARK: To floating point

    @Test func floatingTargetsRound() throws {
        // 2^24 + 1 is the first integer a Float cannot hold; it rounds to even, 2^24.
        #expect(try NDArray([16777217.0]).converted(to: .float32).storage == .float32([16777216]))
        #expect(try NDArray([16777217] as [Int32]).converted(to: .float32).storage == .float32([16777216]))
        #expect(try NDArray([16777219] as [Int64]).converted(to: .float32).storage == .float32([16777220]))
        #expect(try NDArray([0.1]).converted(to: .float32).storage == .float32([0.1]))
        // 2^53 + 1 is the first integer a Double cannot hold.
        #expect(
            try NDArray([9007199254740993] as [Int64]).converted(to: .float64).storage == .float64([9007199254740992])
        )
        #expect(try NDArray([Float(0.1)]).converted(to: .float64).storage == .float64([Double(Float(0.1))]))
        #expect(try NDArray([1, 2] as [Int]).converted(to: .float32).storage == .float32([1, 2]))
    }

    @Test func int64ToFloat32RoundsOnce() throws {
        // 2^60 + 2^36 + 1 lies just above the midpoint between the Floats 2^60 and 2^60 + 2^37, so it rounds
        // up. Going through Double first loses the +1, lands on the midpoint and rounds to even: 2^60.
        let value: Int64 = (1 << 60) + (1 << 36) + 1
        #expect(try NDArray([value]).converted(to: .float32).storage == .float32([Float((1 << 60) + (1 << 37))]))
    }
}
