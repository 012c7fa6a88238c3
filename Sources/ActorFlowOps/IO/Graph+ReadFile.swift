import ActorFlowCore
import ActorFlowExecutor

extension Graph {
    /// Reads a tensor from a `.npy` or raw file when the step runs (TensorFlow's `ReadFile` and `DecodeRaw`, or
    /// NumPy's `np.load`, in one op), without holding an executor thread while the file is read.
    ///
    ///     let tile = g.readFile("/data/tile-0.npy", format: .npy(.float32, shape: [64, 64]))
    ///     let raw = g.readFile("/data/labels.i32", format: .raw(.int32, [nil]))   // length from the file's size
    ///     let product = g.matMul(tile, tile)
    ///     let value = try Session(graph: g).run(product)                          // a [64, 64] float32 array
    ///
    /// The op's kernel is asynchronous: it reads the file with ``NonBlockingFileReader`` — from the page cache
    /// when the data is there, otherwise on the reader's own I/O thread, or through the epoll reactor for a FIFO
    /// or pipe — and is suspended meanwhile, so the worker runs other ops. The file is read again on every step
    /// (the op is stateful: the file may change between runs). A relative path is resolved against the
    /// process's working directory.
    ///
    /// The output has `format`'s dtype and shape when the graph is built (a raw format's unknown dimension and a
    /// `.npy` format's undeclared shape become known when the file is read).
    ///
    /// - Parameters:
    ///   - path: The file's path.
    ///   - format: How the bytes make a tensor: ``TensorFileFormat/npy(_:shape:)`` or ``TensorFileFormat/raw(_:_:)``.
    ///   - name: The op's name (default `ReadTensorFile`).
    /// - Returns: The tensor read.
    ///
    /// A run fails with ``SessionError/opFailed(op:underlying:)`` naming the op, whose underlying error is a
    /// ``FileReadError`` (missing file, permission, a directory: it names the path and the system's reason) or a
    /// ``TensorFileError`` (not a `.npy` file, wrong dtype or shape, size mismatch: it names the file). A format
    /// that cannot describe a tensor (a raw string file, two unknown dimensions) makes the op invalid when built.
    public func readFile(_ path: String, format: TensorFileFormat, name: String? = nil) -> Tensor {
        singleOutputOp(
            type: "ReadTensorFile", name: name ?? "ReadTensorFile", inputs: [],
            attributes: ReadTensorFile.attributes(format, path: path),
            dtype: format.dtype, shape: format.shape, error: format.buildProblem, isStateful: true,
            kernel: ReadTensorFile.kernel(path: path, format: format))
    }

    /// Reads a tensor from the file whose path is the value of `path`, a scalar string tensor (a placeholder fed
    /// at run time, or another op's output), as the overload taking a `String` path does.
    ///
    ///     let path = g.placeholder(.string, shape: [], name: "path")
    ///     let x = g.readFile(path, format: .npy(.float64))
    ///     let v = try session.run(x, feeds: [path: "/data/x.npy"])
    ///
    /// The op is invalid when `path` is not a string tensor of rank 0 (or unknown rank).
    public func readFile(_ path: Tensor, format: TensorFileFormat, name: String? = nil) -> Tensor {
        var problem = format.buildProblem
        if path.dtype != .string {
            problem = "the path must be a string tensor, not \(path.dtype) (\(path.name))"
        } else if let rank = path.shape.rank, rank != 0 {
            problem = "the path must be a scalar, not of shape \(path.shape) (\(path.name))"
        }
        return singleOutputOp(
            type: "ReadTensorFile", name: name ?? "ReadTensorFile", inputs: [path],
            attributes: ReadTensorFile.attributes(format, path: nil),
            dtype: format.dtype, shape: format.shape, error: problem, isStateful: true,
            kernel: ReadTensorFile.kernel(path: nil, format: format))
    }
}

/// The `ReadTensorFile` op's attributes and kernel.
enum ReadTensorFile {
    static func attributes(_ format: TensorFileFormat, path: String?) -> [String: AttributeValue] {
        var attributes: [String: AttributeValue] = [
            "format": .string(format.isNumPy ? "npy" : "raw"), "dtype": .dtype(format.dtype), "shape": .shape(format.shape),
        ]
        if let path { attributes["path"] = .string(path) }
        return attributes
    }

    /// Reads and decodes the file at `path`. The task's cancellation, or the step's (`cancellation`: its flag or
    /// its deadline), ends the read with ``SessionError/cancelled`` or ``SessionError/deadlineExceeded(timeoutInMs:)``.
    static func read(_ path: String, format: TensorFileFormat, cancellation: StepCancellation) async throws -> NDArray {
        let bytes: [UInt8]
        do {
            bytes = try await NonBlockingFileReader().read(contentsOf: path) { cancellation.shouldStop }
        } catch is CancellationError {
            throw cancellation.shouldStop ? cancellation.stopError : SessionError.cancelled
        }
        return try format.decode(bytes, path: path)
    }

    /// The kernel: the path is `path`, or input 0's scalar when `path` is nil.
    static func kernel(path: String?, format: TensorFileFormat) -> Kernel {
        .async { ctx in
            let file = try path ?? ctx.input(0).scalar(as: String.self)
            return [try await read(file, format: format, cancellation: ctx.cancellation)]
        }
    }
}
