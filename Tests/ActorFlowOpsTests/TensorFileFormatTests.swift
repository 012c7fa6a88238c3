import ActorFlowCore
import ActorFlowOps
import Foundation
import Testing

/// `.npy` bytes built here, independently of `NumPyFile.encode`: magic, version, header length, the header
/// dictionary padded with spaces to a multiple of 64, then `data`.
func npyBytes(
    descr: String, shape: String, fortranOrder: Bool = false, data: [UInt8], version: UInt8 = 1,
    dictionary: String? = nil
) -> [UInt8] {
    var header = dictionary ?? "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shape), }"
    let prefix = version == 1 ? 10 : 12
    header += String(repeating: " ", count: (64 - (prefix + header.utf8.count + 1) % 64) % 64) + "\n"
    let length = header.utf8.count
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
    bytes += version == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8)] : [UInt8(length & 0xFF), UInt8(length >> 8), 0, 0]
    return bytes + Array(header.utf8) + data
}

/// Little-endian bytes of each value.
func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { value in (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
}

@Suite("readFile formats: .npy and raw")
struct TensorFileFormatTests {
    @Test("hand-written .npy files of every supported dtype, rank and header version decode to the right array")
    func npyDecodes() throws {
        let floats: [Float] = [1.5, -2, 0, 3.25, 1e-3, 7]
        let f4 = npyBytes(descr: "<f4", shape: "(2, 3)", data: littleEndian(floats.map(\.bitPattern)))
        #expect(try NumPyFile.decode(f4, path: "f4.npy") == NDArray(shape: [2, 3], scalars: floats))

        let f8 = npyBytes(descr: "<f8", shape: "()", data: littleEndian([(2.5 as Double).bitPattern]), version: 2)
        #expect(try NumPyFile.decode(f8, path: "f8.npy") == NDArray(Double(2.5)))

        let i4 = npyBytes(descr: "<i4", shape: "(5,)", data: littleEndian([1, -2, 3, Int32.max, Int32.min] as [Int32]), version: 3)
        #expect(try NumPyFile.decode(i4, path: "i4.npy") == NDArray([1, -2, 3, Int32.max, Int32.min] as [Int32]))

        let longs: [Int64] = [1, -1, 1 << 40, 4, 5, 6, 7, Int64.min]
        let i8 = npyBytes(descr: "<i8", shape: "(2L, 2L, 2L)", data: littleEndian(longs))  // Python 2 wrote 2L
        #expect(try NumPyFile.decode(i8, path: "i8.npy") == NDArray(shape: [2, 2, 2], scalars: longs))

        let b1 = npyBytes(descr: "|b1", shape: "(3,)", data: [1, 0, 1])
        #expect(try NumPyFile.decode(b1, path: "b1.npy") == NDArray([true, false, true]))

        let empty = npyBytes(descr: "<f4", shape: "(0, 4)", data: [])
        #expect(try NumPyFile.decode(empty, path: "empty.npy").dimensions == [0, 4])

        // Keys in another order, double quotes, native byte order, a Fortran-order vector (same as C order).
        let reordered = npyBytes(
            descr: "", shape: "", data: littleEndian([7, 8] as [Int32]),
            dictionary: "{\"shape\": (2,), \"fortran_order\": True, \"descr\": \"=i4\"}")
        #expect(try NumPyFile.decode(reordered, path: "r.npy") == NDArray([7, 8] as [Int32]))
    }

    @Test("encode then decode gives the array back", arguments: [
        NDArray(Float(3)), try! NDArray([[1, 2, 3], [4, 5, 6]] as [[Float]]), try! NDArray([[1.5], [2.5]] as [[Double]]),
        NDArray([1, 2, 3] as [Int32]), NDArray([Int64.max, Int64.min]), NDArray([false, true]),
        try! NDArray(storage: .float32([]), dimensions: [0, 3]),
    ])
    func roundTrip(array: NDArray) throws {
        let bytes = try NumPyFile.encode(array)
        #expect(try NumPyFile.decode(bytes, path: "x.npy") == array)
        #expect(try TensorFileFormat.npy(array.dtype, shape: array.shape).decode(bytes, path: "x.npy") == array)
    }

    @Test("bad .npy files are TensorFileErrors naming the file and the problem")
    func npyErrors() throws {
        func failure(_ bytes: [UInt8], _ format: TensorFileFormat = .npy(.float32)) throws -> TensorFileError {
            try #require(throws: TensorFileError.self) { try format.decode(bytes, path: "/d/x.npy") }
        }
        let magic = try failure(Array("PK\u{3}\u{4}not numpy".utf8))
        #expect(magic.code == .notNumPy && magic.path == "/d/x.npy")
        #expect(magic.description == "'/d/x.npy' is not a .npy file: it does not start with \\x93NUMPY")

        let fortran = try failure(npyBytes(descr: "<f4", shape: "(2, 2)", fortranOrder: true, data: [UInt8](repeating: 0, count: 16)))
        #expect(fortran.code == .fortranOrder && fortran.description.contains("Fortran order"))

        let bigEndian = try failure(npyBytes(descr: ">f4", shape: "(1,)", data: [0, 0, 0, 0]))
        #expect(bigEndian.code == .unsupportedDType && bigEndian.description.contains("big-endian >f4"))

        let int16 = try failure(npyBytes(descr: "<i2", shape: "(1,)", data: [0, 0]))
        #expect(int16.code == .unsupportedDType && int16.description.contains("<i2 elements, which have no ActorFlow dtype"))

        let truncated = try failure(npyBytes(descr: "<f4", shape: "(2, 3)", data: [UInt8](repeating: 0, count: 20)))
        #expect(truncated.code == .sizeMismatch)
        #expect(truncated.description == "'/d/x.npy' holds 20 bytes of data after its .npy header, but shape (2, 3) of float needs 24")

        let dtype = try failure(npyBytes(descr: "<i4", shape: "(1,)", data: [1, 0, 0, 0]), .npy(.float32))
        #expect(dtype.code == .dtypeMismatch && dtype.description == "'/d/x.npy' holds int32 elements, but readFile declared float")

        let shape = try failure(npyBytes(descr: "<f4", shape: "(2,)", data: [UInt8](repeating: 0, count: 8)), .npy(.float32, shape: [3]))
        #expect(shape.code == .shapeMismatch)

        let header = try failure(npyBytes(descr: "", shape: "", data: [], dictionary: "{'descr': '<f4', 'shape': (1,)}"))
        #expect(header.code == .malformedHeader)
        let garbage = try failure(npyBytes(descr: "", shape: "", data: [], dictionary: "{'descr': <f4}"))
        #expect(garbage.code == .malformedHeader)
        let version = try failure([0x93] + Array("NUMPY".utf8) + [4, 0, 0, 0, 0, 0])
        #expect(version.code == .notNumPy && version.description.contains("version 4.0"))
    }

    @Test("raw files: exact shapes, an inferred dimension, and size mismatches")
    func raw() throws {
        let ints: [Int32] = [1, 2, 3, 4, 5, 6]
        let bytes = littleEndian(ints)
        #expect(try TensorFileFormat.raw(.int32, [2, 3]).decode(bytes, path: "r") == NDArray(shape: [2, 3], scalars: ints))
        #expect(try TensorFileFormat.raw(.int32, [nil, 2]).decode(bytes, path: "r").dimensions == [3, 2])
        #expect(try TensorFileFormat.raw(.int32, [3, nil]).decode(bytes, path: "r").dimensions == [3, 2])
        #expect(try TensorFileFormat.raw(.int32, [nil]).decode([], path: "r").dimensions == [0])
        #expect(try TensorFileFormat.raw(.bool, [3]).decode([0, 2, 1], path: "r") == NDArray([false, true, true]))
        #expect(try TensorFileFormat.raw(.float64, []).decode(littleEndian([(0.5 as Double).bitPattern]), path: "r") == NDArray(0.5))

        let exact = try #require(throws: TensorFileError.self) { try TensorFileFormat.raw(.int32, [5]).decode(bytes, path: "/r.i32") }
        #expect(exact.code == .sizeMismatch && exact.description == "'/r.i32' holds 24 bytes, but shape \(TensorShape([5])) of int32 needs 20")
        let inferred = try #require(throws: TensorFileError.self) { try TensorFileFormat.raw(.int32, [nil, 4]).decode(bytes, path: "/r.i32") }
        #expect(inferred.code == .sizeMismatch && inferred.description.contains("not a multiple of the 16 bytes"))
        let strings = try #require(throws: TensorFileError.self) { try TensorFileFormat.raw(.string, [1]).decode(bytes, path: "/r") }
        #expect(strings.code == .unsupportedDType)
    }

    @Test("NumPy itself reads what encode writes and writes what decode reads", .enabled(if: Self.hasNumPy))
    func numpyInterop() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("actorflow-npy-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ours = try NDArray([[1.5, -2], [3, 4]] as [[Float]])
        try Data(try NumPyFile.encode(ours)).write(to: directory.appendingPathComponent("ours.npy"))
        let script = """
            import numpy as np, sys
            d = sys.argv[1]
            a = np.load(d + '/ours.npy')
            assert a.dtype == np.float32 and a.shape == (2, 2) and a.tolist() == [[1.5, -2.0], [3.0, 4.0]], a
            np.save(d + '/f8.npy', np.arange(6, dtype='<f8').reshape(3, 2) / 4)
            np.save(d + '/i8.npy', np.array([[-1, 2**40]], dtype='<i8'))
            np.save(d + '/b1.npy', np.array([True, False, True]))
            np.save(d + '/i4.npy', np.int32(-7))
            np.save(d + '/fortran.npy', np.asfortranarray(np.ones((2, 3), dtype='<f4')))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, directory.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 could not load our file or save its own")
        func load(_ name: String, _ dtype: DType) throws -> NDArray {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            return try TensorFileFormat.npy(dtype).decode(bytes, path: name)
        }
        #expect(try load("f8.npy", .float64) == NDArray(shape: [3, 2], scalars: [0, 0.25, 0.5, 0.75, 1, 1.25] as [Double]))
        #expect(try load("i8.npy", .int64) == NDArray([[-1, 1 << 40]] as [[Int64]]))
        #expect(try load("b1.npy", .bool) == NDArray([true, false, true]))
        #expect(try load("i4.npy", .int32) == NDArray(Int32(-7)))
        #expect(throws: TensorFileError.self) { try load("fortran.npy", .float32) }
    }

    /// Whether `python3` can import NumPy here (the interop test is skipped otherwise).
    static let hasNumPy: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import numpy"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()
}
