import ActorFlowCore
import Testing

@Suite("SessionError")
struct SessionErrorTests {
    @Test func tensorFlowWordings() {
        #expect(
            SessionError.shapeMismatch(tensor: "x:0", expected: [2], actual: [3]).description
                == "Cannot feed value of shape (3,) for Tensor x:0, which has shape (2,)"
        )
        #expect(
            SessionError.shapeMismatch(tensor: "x:0", expected: [nil, 2], actual: [3]).description
                == "Cannot feed value of shape (3,) for Tensor x:0, which has shape (?, 2)"
        )
        #expect(
            SessionError.missingFeed(placeholder: "x", dtype: .float32, shape: [2]).description
                == "You must feed a value for placeholder tensor 'x' with dtype float and shape [2]"
        )
        #expect(
            SessionError.missingFeed(placeholder: "p", dtype: .int64, shape: [nil, 3]).description
                == "You must feed a value for placeholder tensor 'p' with dtype int64 and shape [?,3]"
        )
        #expect(
            SessionError.missingFeed(placeholder: "s", dtype: .bool, shape: .scalar).description
                == "You must feed a value for placeholder tensor 's' with dtype bool and shape []"
        )
        #expect(
            SessionError.missingFeed(placeholder: "u", dtype: .string, shape: .unknown).description
                == "You must feed a value for placeholder tensor 'u' with dtype string"
        )
        #expect(SessionError.closed.description == "Attempted to use a closed Session.")
        #expect(
            SessionError.emptyGraph.description
                == "The Session graph is empty. Add operations to the graph before calling run()."
        )
    }

    /// Every case's description names what it is about.
    @Test(arguments: [
        (SessionError.invalidFetch(fetch: "F1", reason: "R1"), ["F1", "R1"]),
        (.unknownTensor(name: "T1:0", reason: "R2"), ["'T1:0'", "R2"]),
        (.unknownOperation(name: "O1"), ["'O1'"]),
        (.notInGraph(element: "E1"), ["E1"]),
        (.invalidFeedKey(key: "K1", reason: "R3"), ["K1", "R3"]),
        (.invalidFeed(tensor: "T2:0", reason: "R4"), ["T2:0", "R4"]),
        (.shapeMismatch(tensor: "T3:0", expected: [4], actual: [5, 6]), ["T3:0", "(4,)", "(5, 6)"]),
        (.dtypeMismatch(tensor: "T4:0", expected: .int32, actual: .string), ["T4:0", "int32", "string"]),
        (.notFeedable(tensor: "T5:0"), ["T5:0"]),
        (.notFetchable(op: "O2"), ["O2"]),
        (.missingFeed(placeholder: "P1", dtype: .float64, shape: [7]), ["'P1'", "double", "[7]"]),
        (.invalidGraph(op: "O3", reason: "R5"), ["'O3'", "R5"]),
        (.invalidRunOptions(reason: "R6"), ["R6"]),
        (.deadlineExceeded(timeoutInMs: 1234), ["1234"]),
        (.opFailed(op: "O4", underlying: KernelError("R7")), ["'O4'", "R7", "{{node O4}}"]),
        (.invalidHandle(handle: "H1;0;dev"), ["'H1;0;dev'"]),
        (.invalidValue(reason: "R8"), ["R8"]),
    ])
    func descriptionNamesTheCulprit(_ error: SessionError, _ culprits: [String]) {
        for culprit in culprits {
            #expect(error.description.contains(culprit), "\(error.description) does not mention \(culprit)")
        }
    }

    @Test func exactWordings() {
        #expect(
            SessionError.opFailed(op: "add", underlying: KernelError("Incompatible shapes: [2] vs. [3]")).description
                == "Op 'add' failed: Incompatible shapes: [2] vs. [3]\n\t [[{{node add}}]]"
        )
        #expect(
            SessionError.dtypeMismatch(tensor: "x:0", expected: .float32, actual: .int32).description
                == "Tensor x:0 expects dtype float but int32 was provided"
        )
        #expect(SessionError.notFeedable(tensor: "x:0").description == "Tensor x:0 may not be fed.")
        #expect(SessionError.notFetchable(op: "y").description == "Operation y has been marked as not fetchable.")
        #expect(SessionError.cancelled.description == "Run call was cancelled")
        #expect(
            SessionError.deadlineExceeded(timeoutInMs: 50).description
                == "Timed out waiting for notification (step exceeded timeoutInMs = 50)"
        )
        #expect(SessionError.invalidValue(reason: "bad").description == "Invalid value: bad")
        #expect(
            SessionError.invalidGraph(op: "y", reason: "input x:0 is from another graph").description
                == "Operation 'y' is invalid: input x:0 is from another graph"
        )
    }

    @Test func kernelError() {
        let e = KernelError("boom")
        #expect(e.message == "boom" && e.description == "boom")
        #expect(e == KernelError("boom") && e != KernelError("bang"))
    }
}
