// The public face re-exports the vocabulary, the ops and the scheduling policies, so `import ActorFlow`
// is all a user writes.
@_exported import ActorFlowCore
@_exported import ActorFlowOps
@_exported import ActorFlowExecutor

// The TensorFlow-compatible messages (`Tensorflow_RunOptions`, …; Run/ gives them short names). The methods
// every message has (`serializedData()`, `init(serializedBytes:)`, `jsonString()`, …) are extensions of
// SwiftProtobuf's `Message`, and with MemberImportVisibility a user file sees them only if SwiftProtobuf is
// imported, so `Message` is re-exported. Only it, the binary codec errors and the encoding options (for
// `useDeterministicOrdering`: map fields such as `thread_names` have no wire order otherwise) are, not the whole
// module (whose `Decoder`, `Enum`, `Visitor`, … would crowd user code).
@_exported import ActorFlowProto
@_exported import protocol SwiftProtobuf.Message
@_exported import enum SwiftProtobuf.BinaryDecodingError
@_exported import enum SwiftProtobuf.BinaryEncodingError
@_exported import struct SwiftProtobuf.BinaryEncodingOptions

// Tracing's public API: step-stats records, StepStatsAccumulator, Chrome-trace export, proto conversions.
@_exported import ActorFlowTracing
