import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A request to stop an ingest gracefully (SIGINT or SIGTERM): no new files are started,
/// the files in flight are finished and committed, and the run is recorded as
/// interrupted, so a re-run resumes from there. A second signal exits at once; what was
/// committed stays committed either way.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var sources: [any DispatchSourceSignal] = []

    public init() {}

    public var isRequested: Bool { lock.withLock { requested } }

    public func request() { lock.withLock { requested = true } }

    /// Routes SIGINT and SIGTERM to this request for as long as it lives.
    public func installSignalHandlers() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                if self.isRequested { _exit(130) }
                self.request()
                let note = "\nimprint: stopping after the files in progress (press Ctrl-C again to stop at once)\n"
                _ = note.withCString { write(2, $0, strlen($0)) }
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
