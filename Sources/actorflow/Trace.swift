import ArgumentParser

extension ActorFlowCommand {
    /// `actorflow trace …`: turns what a traced run recorded into timelines and summaries, and records LTTng traces.
    struct Trace: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert and summarize traces: RunMetadata files and LTTng (CTF) recordings.",
            discussion: """
                RunMetadata files come from `actorflow run … --run-metadata FILE` (or `metadata.serializedData()`); \
                to-chrome and summary read them in Swift. LTTng traces come from `actorflow trace record -- COMMAND`; \
                ctf-to-chrome and ctf-summary read them with the Python scripts in Tracing/scripts, which need \
                Debian's /usr/bin/python3 and python3-bt2 (scripts/setup.sh installs them).
                """,
            subcommands: [ToChrome.self, Summary.self, CTFToChrome.self, CTFSummary.self, Record.self]
        )
    }
}
