import ActorFlowOps

extension Variable: Fetchable {
    public var fetch: Fetch { .tensor(value) }
    public func fetched(from value: FetchedValue) throws(SessionError) -> NDArray { try value.ndarray() }
}

extension SessionHandleTensor: Fetchable {
    public var fetch: Fetch { .tensor(tensor) }
    public func fetched(from value: FetchedValue) throws(SessionError) -> TensorHandle { try value.tensorHandle() }
}

