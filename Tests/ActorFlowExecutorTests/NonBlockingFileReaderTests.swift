import ActorFlowExecutor
import ActorFlowTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("NonBlockingFileReader", .timeLimit(.minutes(5)))
struct NonBlockingFileReaderTests {
    /// Bytes whose every position differs from its neighbours', so a misplaced chunk shows.
    static func pattern(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 251) }
    }

    @Test("whole files and byte ranges, in one chunk or many, from the page cache or the I/O thread",
          arguments: [1, 7, 4096, NonBlockingFileReader.defaultChunkSize], [true, false])
    func regularFile(chunkSize: Int, cachedFirst: Bool) async throws {
        let scratch = try ScratchDirectory()
        let bytes = Self.pattern(10_000)
        let path = try scratch.write("data.bin", bytes: bytes)
        let reader = NonBlockingFileReader(chunkSize: chunkSize, readsCachedFirst: cachedFirst)
        let before = NonBlockingFileReader.testsOnly_counters

        #expect(try await reader.read(contentsOf: path) == bytes)
        #expect(try await reader.read(contentsOf: path, byteRange: 0..<10) == Array(bytes[0..<10]))
        #expect(try await reader.read(contentsOf: path, byteRange: 4_095..<9_999) == Array(bytes[4_095..<9_999]))
        #expect(try await reader.read(contentsOf: path, byteRange: 10_000..<10_000) == [])
        #expect(try await reader.read(contentsOf: try scratch.write("empty", bytes: [])) == [])

        let after = NonBlockingFileReader.testsOnly_counters
        if cachedFirst {
            #expect(after.cachedChunks > before.cachedChunks)
        } else {
            #expect(after.blockingChunks > before.blockingChunks)
        }
    }

    @Test("a file dropped from the page cache still reads right (RWF_NOWAIT says EAGAIN, the I/O thread reads)")
    func uncachedFile() async throws {
        let scratch = try ScratchDirectory()
        let bytes = Self.pattern(3 << 20)
        let path = try scratch.write("cold.bin", bytes: bytes)
        _ = ScratchDirectory.dropFromPageCache(path)
        // Whether the kernel really dropped the pages is up to it: the bytes must be right either way.
        #expect(try await NonBlockingFileReader().read(contentsOf: path) == bytes)
        _ = ScratchDirectory.dropFromPageCache(path)
        #expect(try await NonBlockingFileReader().read(contentsOf: path, byteRange: 1_000_000..<2_100_000)
            == Array(bytes[1_000_000..<2_100_000]))
    }

    @Test("a missing file, a directory, a short file and a negative range are typed errors naming the path")
    func errors() async throws {
        let scratch = try ScratchDirectory()
        let reader = NonBlockingFileReader()
        let missing = scratch.path(of: "nope/missing.npy")
        let notFound = try await #require(throws: FileReadError.self) { try await reader.read(contentsOf: missing) }
        #expect(notFound.code == .notFound && notFound.path == missing && notFound.errno == ENOENT)
        #expect(notFound.description == "cannot open '\(missing)': No such file or directory (errno 2)")

        let directory = try scratch.makeDirectory("dir")
        let isDirectory = try await #require(throws: FileReadError.self) { try await reader.read(contentsOf: directory) }
        #expect(isDirectory.code == .isADirectory && isDirectory.description.contains("'\(directory)'"))

        let file = try scratch.write("short.bin", bytes: Self.pattern(100))
        let short = try await #require(throws: FileReadError.self) {
            try await reader.read(contentsOf: file, byteRange: 50..<101)
        }
        #expect(short.code == .shortFile)
        #expect(short.description == "cannot read bytes 50..<101 of '\(file)': it ends after 100 bytes")

        let negative = try await #require(throws: FileReadError.self) {
            try await reader.read(contentsOf: file, byteRange: -1..<4)
        }
        #expect(negative.code == .invalidRange && negative.path == file)
    }

    @Test("a file the process may not read is permissionDenied", .enabled(if: geteuid() != 0, "root reads anything"))
    func permissionDenied() async throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("secret.bin", bytes: [1], mode: 0o000)
        let error = try await #require(throws: FileReadError.self) { try await NonBlockingFileReader().read(contentsOf: file) }
        #expect(error.code == .permissionDenied && error.path == file)
    }

    @Test("a FIFO read waits on the reactor until the writer comes, then returns what it wrote", arguments: [3, 1 << 20])
    func fifoWaitsForItsWriter(chunkSize: Int) async throws {
        let scratch = try ScratchDirectory()
        let fifo = try scratch.makeFIFO("pipe")
        let bytes = Self.pattern(200_000)  // more than a pipe holds: the reader waits again mid-stream
        let stopChecks = Atomic<Int>(0)
        let writerFailed = Signal()
        let before = NonBlockingFileReader.testsOnly_counters
        // The reader checks `shouldStop` once before opening and once before its first read, which finds no writer
        // and waits; only the reactor, polling the check during that wait, makes a third call. The writer opens
        // the FIFO only then, so the read must have waited.
        startDetachedThread {
            guard spin({ stopChecks.load(ordering: .acquiring) >= 3 }) else { return writerFailed.raise() }
            do { try ScratchDirectory.writeToFIFO(fifo, bytes: bytes) } catch { writerFailed.raise() }
        }
        let read = try await NonBlockingFileReader(chunkSize: chunkSize).read(contentsOf: fifo) { @Sendable in
            stopChecks.add(1, ordering: .acquiringAndReleasing)
            return false
        }
        #expect(!writerFailed.isRaised)
        #expect(read == bytes)
        #expect(NonBlockingFileReader.testsOnly_counters.readinessWaits > before.readinessWaits)

        // A byte range of a stream drops the bytes before it and stops once it has the range. (The writer writes
        // no more than that: writing to a FIFO whose reader has gone raises SIGPIPE.)
        startDetachedThread { try? ScratchDirectory.writeToFIFO(fifo, bytes: Array(bytes[0..<70_100])) }
        let range = try await NonBlockingFileReader(chunkSize: chunkSize).read(contentsOf: fifo, byteRange: 70_000..<70_100)
        #expect(range == Array(bytes[70_000..<70_100]))
    }

    @Test("a FIFO that ends before the range does is a short file")
    func fifoShort() async throws {
        let scratch = try ScratchDirectory()
        let fifo = try scratch.makeFIFO("pipe")
        startDetachedThread { try? ScratchDirectory.writeToFIFO(fifo, bytes: [1, 2, 3]) }
        let error = try await #require(throws: FileReadError.self) {
            try await NonBlockingFileReader().read(contentsOf: fifo, byteRange: 2..<10)
        }
        #expect(error.code == .shortFile && error.description.contains("it ends after 3 bytes"))
    }

    @Test("cancelling the task, or shouldStop turning true, ends a wait that no writer would end")
    func cancellationEndsAWait() async throws {
        let scratch = try ScratchDirectory()
        let fifo = try scratch.makeFIFO("pipe")
        // As in fifoWaitsForItsWriter: a third `shouldStop` call comes from the reactor, so the read is waiting.
        let polled = Atomic<Int>(0)
        let task = Task {
            try await NonBlockingFileReader().read(contentsOf: fifo) { @Sendable in
                polled.add(1, ordering: .relaxed)
                return false
            }
        }
        await poll("the reactor to poll the read's check") { polled.load(ordering: .relaxed) >= 3 }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }

        let stop = Atomic<Bool>(false)
        let checks = Atomic<Int>(0)
        let stopped = Task {
            try await NonBlockingFileReader().read(contentsOf: fifo) { @Sendable in
                checks.add(1, ordering: .relaxed)
                return stop.load(ordering: .acquiring)
            }
        }
        await poll("the reactor to poll the check") { checks.load(ordering: .relaxed) >= 3 }
        stop.store(true, ordering: .releasing)
        await #expect(throws: CancellationError.self) { try await stopped.value }
    }

    @Test("character devices read as streams")
    func characterDevice() async throws {
        #expect(try await NonBlockingFileReader().read(contentsOf: "/dev/null") == [])
        #expect(try await NonBlockingFileReader(chunkSize: 5).read(contentsOf: "/dev/zero", byteRange: 3..<20)
            == [UInt8](repeating: 0, count: 17))
    }
}
