// The tracepoints, the trace clock and the executor's trace gate live one module down (ActorFlowTraceEvents, which
// the executor links without swift-protobuf); code that imports ActorFlowTracing keeps seeing `Tracepoints`,
// `TraceClock` and `InternedCString`.
@_exported import ActorFlowTraceEvents
