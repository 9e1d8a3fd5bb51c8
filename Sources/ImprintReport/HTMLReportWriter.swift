import Crypto
import Foundation
import ImprintBytes
import ImprintCase

/// The court report as one self-contained HTML file: no external resource of any kind
/// (images are data: URIs, style and script are inline), and a Content-Security-Policy
/// that forbids the page any network access. Every value from the case is escaped.
///
/// Main sections cite items by exhibit and file id and by hash, never by file name; names
/// and raw metadata (which can name depicted people) are kept to the restricted appendix
/// (CUSTODY-AND-EXCHANGE.md §7).
public enum HTMLReportWriter {
    /// Files listed one by one in the inventory appendix; larger cases refer to files.csv.
    public static let inventoryLimit = 5000
    /// Bytes of raw metadata shown per flagged file.
    /// Bytes of raw metadata shown per flagged file (the full record is in report.json).
    public static let metadataLimit = 4 * 1024

    public static func render(_ model: ReportModel) -> String {
        var page = Page(model: model)
        page.cover()
        page.summary()
        page.verification()
        page.methodology()
        page.exhibits()
        page.findings()
        page.clusters()
        page.errors()
        page.custody()
        page.imageHandling()
        page.notesAndAttestation()
        page.appendix()
        return page.document()
    }

    /// Item label used throughout: exhibit and file id.
    static func item(_ file: ReportFileRow?) -> String {
        guard let file else { return "unknown item" }
        return "\(file.exhibitNumber) · F\(file.id)"
    }

    struct Page {
        let model: ReportModel
        let files: [Int64: ReportFileRow]
        var body = ""

        init(model: ReportModel) {
            self.model = model
            self.files = model.filesByID
        }

        private func h(_ text: String) -> String { Escape.html(text) }
        private mutating func line(_ text: String) { body += text + "\n" }

        private mutating func kv(_ rows: [(String, String)]) {
            line("<table class=\"kv\"><tbody>")
            for (key, value) in rows { line("<tr><th>\(h(key))</th><td>\(value)</td></tr>") }
            line("</tbody></table>")
        }

        private func hash(_ text: String?) -> String {
            guard let text, !text.isEmpty else { return "—" }
            return "<span class=\"hash\">\(h(text))</span>"
        }

        // MARK: cover

        mutating func cover() {
            let info = model.caseInfo
            line("<section class=\"cover\" id=\"cover\">")
            line("<div class=\"running\">Case \(h(info.caseNumber)) · Report \(h(model.reportID)) · <span class=\"restricted\">RESTRICTED: contains evidence identifiers</span></div>")
            line("<h1>Forensic image examination report</h1>")
            line("<p>\(h(info.title ?? "Untitled case"))</p>")
            var rows: [(String, String)] = [
                ("Case number", h(info.caseNumber)),
                ("Title", h(info.title ?? "—")),
                ("Agency", h(info.agency ?? "—")),
                ("Authorization", h(info.authorization ?? "—")),
                ("Case examiner", h(info.examiner)),
                ("Report prepared by", h(model.examiner)),
                ("Case opened (UTC)", h(info.createdAtUTC)),
                ("Report id", h(model.reportID)),
                ("Generated (UTC)", "<span id=\"generated-at\">\(h(model.generatedAtUTC))</span>"),
                ("Examination period (UTC)", h(examinationPeriod())),
                ("Tool", h("\(model.tool.name) \(model.tool.version)")),
                ("Build (SHA-256 of the executable)", hash(model.tool.executableSHA256)),
                ("Host and operating system", h("\(model.tool.host) · \(model.tool.operatingSystem)")),
                ("Libraries", h(model.tool.libraries.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))),
                ("PDF engine", h(model.tool.pdfEngine ?? "none (no PDF requested)")),
                ("Exhibits", h(model.exhibits.map(\.number).joined(separator: ", "))),
            ]
            rows.append(("Analyzers and versions", model.analyzers.isEmpty ? "none recorded" :
                            model.analyzers.map { "<code>\(h($0.id)) \(h($0.version))</code>" }.joined(separator: "<br>")))
            rows.append(("C2PA trust lists", model.trustLists.isEmpty
                            ? "none: every C2PA signer is reported untrusted"
                            : model.trustLists.map { "SHA-256 \(hash($0.sha256))" + ($0.anchorCount.map { " (\($0) anchors)" } ?? "") }.joined(separator: "<br>")))
            rows.append(("Hash sets", model.hashSets.isEmpty ? "none imported" : model.hashSets.map {
                "\(h($0.name)) (\(h($0.format)), \($0.recordCount) records, source SHA-256 \(hash($0.sourceSHA256)))"
            }.joined(separator: "<br>")))
            rows.append(("Custody chain head at generation", model.custody.last.map { "event \($0.seq), \(hash($0.hash))" } ?? "empty"))
            rows.append(("Imagery", model.imageHandling.revealed
                            ? "<span class=\"restricted\">CLEAR thumbnails, revealed at the request of \(h(model.imageHandling.revealedBy ?? "unknown"))"
                              + (model.imageHandling.revealEventSeq.map { " (custody event \($0), image.revealed)" } ?? "") + "</span>"
                            : "pixelated beyond recognition (at most \(model.imageHandling.mosaicBlocks) blocks across the short side); no image is reproduced"))
            kv(rows)
            line("<p class=\"caveat\">Findings are indicators with a stated strength and known error rates, never verdicts. \(h(Methodology.absenceCaveat))</p>")
            line("</section>")
        }

        private func examinationPeriod() -> String {
            let times = model.custody.map(\.atUTC).filter { !$0.isEmpty }
            guard let first = times.min(), let last = times.max() else { return "—" }
            return "\(first) to \(last)"
        }

        // MARK: summary

        mutating func summary() {
            let counts = model.summary
            line("<h2 id=\"summary\">1. Summary</h2>")
            line("<table id=\"summary-table\"><thead><tr><th>Indicator</th><th class=\"num\">Files</th><th class=\"num\">Findings</th></tr></thead><tbody>")
            line("<tr data-key=\"recorded\"><td>Entries recorded (all exhibits)</td><td class=\"num\">\(counts.filesRecorded)</td><td class=\"num\">—</td></tr>")
            line("<tr data-key=\"flagged\"><td>Files with at least one finding</td><td class=\"num\">\(counts.filesWithFindings)</td><td class=\"num\">\(model.findings.count)</td></tr>")
            for item in counts.lines {
                line("<tr data-key=\"\(h(item.key))\"><td>\(h(item.title))</td><td class=\"num\">\(item.count.files)</td><td class=\"num\">\(item.count.findings)</td></tr>")
            }
            line("<tr data-key=\"clusters\"><td>Near-duplicate clusters (latest clustering)</td><td class=\"num\">\(counts.clusteredFiles)</td><td class=\"num\">\(counts.clusters) clusters</td></tr>")
            line("<tr data-key=\"errors\"><td>Files with recorded errors (unreadable, undecodable, malformed)</td><td class=\"num\">\(counts.filesWithErrors)</td><td class=\"num\">\(counts.errors) errors</td></tr>")
            line("</tbody></table>")
            line("<p class=\"note\">\(counts.bytesRecorded) bytes recorded in \(model.exhibits.count) exhibit(s). Counts are of recorded findings; a file can count in several lines.</p>")
        }

        // MARK: verification

        mutating func verification() {
            let v = model.verification
            line("<h2 id=\"verification\">2. Verification at report time</h2>")
            line("<p id=\"verification-statement\" class=\"\(v.passed ? "pass" : "fail")\">\(h(v.statement(at: model.generatedAtUTC, tool: model.tool.display)))</p>")
            if let seq = v.eventSeq { line("<p class=\"note\">Recorded in the custody log as event \(seq) (verify.result), after the log shown in section 8.</p>") }
            if !v.discrepancies.isEmpty {
                line("<table id=\"discrepancies\"><thead><tr><th>Area</th><th>Code</th><th>Subject</th><th>Difference</th></tr></thead><tbody>")
                for d in v.discrepancies.prefix(1000) {
                    line("<tr><td>\(h(d.area))</td><td><code>\(h(d.code))</code></td><td class=\"wrap\">\(h(d.subject))</td><td>\(h(d.message))</td></tr>")
                }
                line("</tbody></table>")
                if v.discrepancies.count > 1000 { line("<p class=\"note\">\(v.discrepancies.count - 1000) further differences are listed by imprint verify and stored in the case.</p>") }
            }
        }

        // MARK: methodology

        mutating func methodology() {
            line("<h2 id=\"methodology\">3. Methods</h2>")
            line("<p>Each analyzer that ran on this case, as the custody log records it: what it detects, its parameters, its measured error rates and its limitations.</p>")
            var seen: [String] = []
            for use in model.analyzers where !seen.contains(use.id) { seen.append(use.id) }
            for id in seen {
                let uses = model.analyzers.filter { $0.id == id }
                let (method, generic) = MethodologyTable.methodology(for: id)
                line("<section class=\"method\" data-analyzer=\"\(h(id))\">")
                line("<h3>\(h(generic ? id : method.title)) <code>\(h(id))</code></h3>")
                var rows: [(String, String)] = [
                    ("Versions and parameters", uses.map {
                        "<code>\(h($0.version))</code> <span class=\"hash\">\(h($0.parameters.canonical()))</span>" + ($0.runEvents.isEmpty ? "" : " <span class=\"note\">(custody events \($0.runEvents.map(String.init).joined(separator: ", ")))</span>")
                    }.joined(separator: "<br>")),
                    ("What it detects", h(method.detects)),
                    ("Measured error rates", h(method.errorRates)),
                    ("Limitations", "<ul>" + (method.limitations + [Methodology.absenceCaveat]).map { "<li>\(h($0))</li>" }.joined() + "</ul>"),
                    ("Reference", "<code>\(h(method.reference))</code>"),
                ]
                if generic { rows.insert(("Methodology text", "<span class=\"restricted\">generic: not described by this build</span>"), at: 0) }
                kv(rows)
                line("</section>")
            }
            if seen.isEmpty { line("<p>No analyzer has run on this case.</p>") }
        }

        // MARK: exhibits

        mutating func exhibits() {
            line("<h2 id=\"exhibits\">4. Exhibits</h2>")
            line("<table id=\"exhibits-table\"><thead><tr><th>Exhibit</th><th>Description</th><th class=\"num\">Entries</th><th class=\"num\">Hashed files</th><th class=\"num\">Bytes</th><th class=\"num\">Unreadable</th><th>Merkle root (recomputed)</th><th>Committed by</th></tr></thead><tbody>")
            for x in model.exhibits {
                let matches = x.recordedMerkleRoot == x.inventory.merkleRoot
                let committed = x.committedBySeq.map { "event \($0): " + (matches ? "<span class=\"pass\">matches</span>" : "<span class=\"fail\">DIFFERS</span>") } ?? "<span class=\"fail\">no completed ingest</span>"
                line("<tr><td>\(h(x.number))</td><td>\(h(x.description ?? "—"))</td><td class=\"num\">\(x.inventory.files)</td><td class=\"num\">\(x.inventory.hashedFiles)</td><td class=\"num\">\(x.inventory.bytes)</td><td class=\"num\">\(x.inventory.unreadable)</td><td>\(hash(x.inventory.merkleRoot))</td><td>\(committed)</td></tr>")
            }
            line("</tbody></table>")
            line("<p class=\"note\">The Merkle root (RFC 6962) commits to every hashed file's path, size and SHA-256; it is recomputed from the file rows and compared with the root the exhibit's last ingest recorded in the custody log. Evidence source folders are listed in appendix A.</p>")
        }

        // MARK: findings

        mutating func findings() {
            line("<h2 id=\"findings\">5. Findings</h2>")
            line("<p>\(model.findings.count) finding(s) on \(Set(model.findings.map(\.fileID)).count) file(s). Items are cited by exhibit and file id (F…) and SHA-256; their names are in appendix A.</p>")
            line("<div class=\"controls\"><label>Filter <input id=\"filter-text\" type=\"search\" placeholder=\"label, item, hash, text\"></label>")
            line("<label>Strength <select id=\"filter-strength\"><option value=\"\">all</option>"
                 + Finding.Strength.allCases.map { "<option>\($0.rawValue)</option>" }.joined() + "</select></label>")
            line("<label>Category <select id=\"filter-category\"><option value=\"\">all</option>"
                 + Finding.Category.allCases.map { "<option>\($0.rawValue)</option>" }.joined() + "</select></label>")
            line("<span id=\"filter-count\" class=\"note\">\(model.findings.count) findings</span></div>")
            func header(_ id: String, _ title: String, _ type: String, numeric: Bool = false) -> String {
                "<th id=\"col-\(id)\" data-type=\"\(type)\" class=\"sortable\(numeric ? " num" : "")\" tabindex=\"0\" title=\"sort\">\(title)</th>"
            }
            line("<table id=\"findings-table\"><colgroup><col class=\"c-item\"><col class=\"c-category\"><col class=\"c-label\">"
                 + "<col class=\"c-strength\"><col class=\"c-score\"><col class=\"c-summary\"><col class=\"c-analyzer\"></colgroup><thead><tr>"
                 + header("item", "Item", "text") + header("category", "Category", "text") + header("label", "Label", "text")
                 + header("strength", "Strength", "number") + header("score", "Score", "number", numeric: true)
                 + "<th>Summary and details</th>" + header("analyzer", "Analyzer", "text") + "</tr></thead><tbody>")
            let rank: [Finding.Strength: Int] = [.conclusive: 5, .strong: 4, .moderate: 3, .weak: 2, .info: 1]
            for (order, row) in model.findings.enumerated() {
                let f = row.finding
                let file = files[row.fileID]
                let details = f.location.map { "location " + $0.canonical() + "\n" } ?? ""
                line("<tr data-order=\"\(order)\" data-strength=\"\(f.strength.rawValue)\" data-category=\"\(f.category.rawValue)\" data-file=\"\(row.fileID)\">"
                     + "<td data-key=\"\(h(file?.exhibitNumber ?? ""))|\(String(format: "%012lld", row.fileID))\">\(h(HTMLReportWriter.item(file)))<br>\(hash(file?.sha256.map { String($0.prefix(16)) + "…" }))</td>"
                     + "<td>\(f.category.rawValue)</td><td><code>\(h(f.label))</code></td>"
                     + "<td data-key=\"\(rank[f.strength] ?? 0)\" class=\"strength-\(f.strength.rawValue)\">\(f.strength.rawValue)</td>"
                     + "<td class=\"num\" data-key=\"\(f.score.map { String($0) } ?? "")\">\(f.score.map { Self.score($0) } ?? "—")</td>"
                     + "<td>\(h(f.summary))<details><summary>details</summary><pre>\(h(details + PrettyJSON.string(f.details)))</pre></details></td>"
                     + "<td><code>\(h(f.analyzer)) \(h(f.analyzerVersion))</code></td></tr>")
            }
            line("</tbody></table>")
        }

        static func score(_ value: Double) -> String { String(format: "%.3f", value) }

        // MARK: clusters

        mutating func clusters() {
            line("<h2 id=\"clusters\">6. Near-duplicate clusters</h2>")
            guard let clustering = model.clustering else {
                line("<p>No clustering has been run on this case (imprint cluster).</p>")
                return
            }
            line("<p>Latest clustering \(clustering.id) at \(h(clustering.createdAtUTC)): \(h(clustering.algorithm)) \(h(clustering.algorithmVersion)), threshold \(clustering.threshold), \(clustering.hashesConsidered) hashes considered, \(clustering.excludedLowQuality) excluded for low quality, \(clustering.clusters.count) cluster(s); member list SHA-256 \(hash(clustering.membersSHA256)). Thumbnails are \(model.imageHandling.revealed ? "CLEAR (revealed)" : "pixelated"); the outlined one is the cluster's medoid.</p>")
            for cluster in clustering.clusters {
                line("<section class=\"cluster\" id=\"cluster-\(cluster.number)\">")
                line("<h3>Cluster \(cluster.number): \(cluster.size) files, diameter \(cluster.diameter)\(cluster.diameterExact ? "" : " (bound)")\(cluster.chained ? ", chained" : "")</h3>")
                line("<div class=\"sheet\">")
                for member in cluster.members {
                    let label = "\(h(member.exhibitNumber)) · F\(member.fileID)<br>distance \(member.distanceToMedoid)"
                    line(thumbnailFigure(member.fileID, caption: label, medoid: member.fileID == cluster.medoidFileID))
                }
                line("</div></section>")
            }
        }

        func thumbnailFigure(_ fileID: Int64, caption: String, medoid: Bool = false) -> String {
            let figureClass = medoid ? "thumb medoid" : "thumb"
            guard let thumb = model.thumbnails[fileID] else {
                return "<figure class=\"\(figureClass)\"><div class=\"placeholder\">not shown (thumbnail limit)</div><figcaption>\(caption)</figcaption></figure>"
            }
            switch thumb.kind {
            case .placeholder:
                return "<figure class=\"\(figureClass)\"><div class=\"placeholder\">\(h(thumb.reason ?? "no image"))</div><figcaption>\(caption)</figcaption></figure>"
            case .pixelated, .clear:
                let data = Data(thumb.bytes).base64EncodedString()
                let alt = thumb.kind == .pixelated ? "pixelated thumbnail of F\(fileID)" : "CLEAR thumbnail of F\(fileID) (revealed)"
                return "<figure class=\"\(figureClass)\"><img class=\"\(thumb.kind.rawValue)\" alt=\"\(alt)\" width=\"\(thumb.width)\" height=\"\(thumb.height)\" src=\"data:\(thumb.mimeType);base64,\(data)\"><figcaption>\(caption)</figcaption></figure>"
            }
        }

        // MARK: errors

        mutating func errors() {
            line("<h2 id=\"errors\">7. Recorded errors</h2>")
            guard !model.errors.isEmpty else {
                line("<p>No file has a recorded error.</p>")
                return
            }
            line("<table id=\"errors-table\"><thead><tr><th>Item</th><th>Stage</th><th>Code</th><th>Message</th></tr></thead><tbody>")
            for row in model.errors.prefix(HTMLReportWriter.inventoryLimit) {
                line("<tr><td>\(h(HTMLReportWriter.item(files[row.fileID])))</td><td>\(h(row.error.stage))\(row.error.analyzer.map { " (\(h($0)))" } ?? "")</td><td><code>\(h(row.error.code))</code></td><td>\(h(row.error.message))</td></tr>")
            }
            line("</tbody></table>")
            if model.errors.count > HTMLReportWriter.inventoryLimit {
                line("<p class=\"note\">\(model.errors.count - HTMLReportWriter.inventoryLimit) further errors are in report.json.</p>")
            }
        }

        // MARK: custody

        mutating func custody() {
            line("<h2 id=\"custody\">8. Chain of custody</h2>")
            line("<p>Every event of the hash-chained custody log as it stood when this report was generated. Each hash is SHA-256 over the previous hash and the event's fields (docs/custody.md); the verification above recomputed all of them.</p>")
            line("<table id=\"custody-table\"><colgroup><col class=\"c-seq\"><col class=\"c-time\"><col class=\"c-who\"><col class=\"c-action\"><col class=\"c-subject\"><col class=\"c-details\"><col class=\"c-hash\"></colgroup><thead><tr><th class=\"num\">Seq</th><th>Time (UTC)</th><th>Examiner · host · tool</th><th>Action</th><th>Subject</th><th>Details</th><th>Hash</th></tr></thead><tbody>")
            for event in model.custody {
                line("<tr><td class=\"num\">\(event.seq)</td><td>\(h(event.atUTC))</td><td>\(h(event.examiner)) · \(h(event.host)) · \(h(event.toolVersion))</td><td><code>\(h(event.action))</code></td><td class=\"wrap\">\(h(event.subject))</td><td><details><summary>\(event.detailsJSON.utf8.count) bytes</summary><pre>\(h(event.detailsJSON))</pre></details></td><td>\(hash(event.hash))</td></tr>")
            }
            line("</tbody></table>")
            if let head = model.custody.last {
                line("<p id=\"chain-head\">Chain head: event \(head.seq), <span class=\"hash\">\(h(head.hash))</span></p>")
            }
        }

        // MARK: image handling

        mutating func imageHandling() {
            line("<h2 id=\"image-handling\">9. Image handling</h2>")
            let handling = model.imageHandling
            if handling.revealed {
                line("<p class=\"restricted\">This report contains CLEAR thumbnails of evidence images, produced at the request of \(h(handling.revealedBy ?? "unknown"))\(handling.revealEventSeq.map { " and recorded as custody event \($0) (image.revealed)" } ?? ""). Handle it as the imagery itself.</p>")
            } else {
                line("<p>Imagery is not reproduced. Thumbnails are mosaics of at most \(handling.mosaicBlocks) blocks across the short side, made from the evidence read-only; they show layout and colour only. Clear thumbnails need an explicit, logged request (--reveal-images).</p>")
            }
            if handling.thumbnailsOmitted > 0 {
                line("<p class=\"note\">\(handling.thumbnailsOmitted) item(s) beyond the limit of \(handling.thumbnailLimit) thumbnails are shown without one.</p>")
            }
            let reveals = model.custody.filter { $0.action == "image.revealed" }
            if reveals.isEmpty {
                line("<p>Earlier reveals of imagery recorded in this case: none.</p>")
            } else {
                line("<p>Earlier reveals of imagery recorded in this case:</p><ul>")
                for event in reveals { line("<li>event \(event.seq), \(h(event.atUTC)), \(h(event.examiner)): <code>\(h(event.detailsJSON))</code></li>") }
                line("</ul>")
            }
        }

        // MARK: notes and attestation

        mutating func notesAndAttestation() {
            line("<h2 id=\"notes\">10. Examiner's notes and statement</h2>")
            if let notes = model.notes {
                line("<p class=\"note\">From \(h(notes.fileName)), SHA-256 \(hash(notes.sha256)).</p>")
                line("<pre id=\"examiner-notes\">\(h(notes.text))</pre>")
            } else {
                line("<p>No notes were supplied.</p>")
            }
            line("<p>I, \(h(model.examiner)), state that this report reflects the examination recorded in case \(h(model.caseInfo.caseNumber)) and its custody log up to event \(model.custody.last?.seq ?? 0).</p>")
            line("<div class=\"signature\"><div>Signature</div><div>Date</div><div>Reviewer (if any)</div></div>")
        }

        // MARK: appendix

        mutating func appendix() {
            line("<h2 id=\"appendix\" class=\"restricted\">Appendix A (restricted): names and raw metadata of flagged items</h2>")
            line("<p class=\"restricted\">File names and metadata can name or describe depicted people. Share this appendix only with those entitled to the evidence.</p>")
            line("<h3>Evidence sources</h3><table><thead><tr><th>Exhibit</th><th>Folder examined</th><th>Registered (UTC)</th></tr></thead><tbody>")
            for x in model.exhibits { line("<tr><td>\(h(x.number))</td><td class=\"wrap\">\(h(x.rootPath))</td><td>\(h(x.registeredAtUTC))</td></tr>") }
            line("</tbody></table>")
            for id in model.flaggedFileIDs {
                guard let file = files[id] else { continue }
                line("<section class=\"appendix-item\" id=\"item-\(id)\"><h3>\(h(HTMLReportWriter.item(file)))</h3><div class=\"sheet\">\(thumbnailFigure(id, caption: "F\(id)"))</div>")
                kv([("Path", "<span class=\"wrap\">\(h(file.path))</span>"), ("Size", "\(file.size) bytes"),
                    ("SHA-256", hash(file.sha256)), ("MD5", hash(file.md5)), ("Format", h(file.format ?? "—")),
                    ("Dimensions", file.width.map { w in file.height.map { "\(w) × \($0)" } ?? "\(w)" } ?? "—"),
                    ("Modified (UTC, as recorded)", h(Timestamp.rfc3339(epochNanoseconds: file.mtimeNs)))])
                if let text = model.flaggedMetadata[id] {
                    let pretty = (try? JSONParser.parse(text)).map(PrettyJSON.string) ?? text
                    let bytes = Array(pretty.utf8)
                    let shown = bytes.count > HTMLReportWriter.metadataLimit
                        ? String(decoding: bytes.prefix(HTMLReportWriter.metadataLimit), as: UTF8.self) + "\n… \(bytes.count - HTMLReportWriter.metadataLimit) more bytes: the full record is in report.json (flaggedMetadata)"
                        : pretty
                    line("<details><summary>Raw metadata (\(bytes.count) bytes)</summary><pre>\(h(shown))</pre></details>")
                }
                line("</section>")
            }
            line("<h2 id=\"inventory\" class=\"restricted\">Appendix B (restricted): file inventory</h2>")
            if model.files.count > HTMLReportWriter.inventoryLimit {
                line("<p>\(model.files.count) entries: too many to list here; see files.csv and report.json, whose SHA-256 are recorded in the custody log with this report.</p>")
                return
            }
            line("<table id=\"inventory-table\"><thead><tr><th>Item</th><th>Path</th><th class=\"num\">Size</th><th>SHA-256</th><th>MD5</th><th>Status</th></tr></thead><tbody>")
            for file in model.files {
                line("<tr><td>\(h(HTMLReportWriter.item(file)))</td><td class=\"wrap\">\(h(file.path))</td><td class=\"num\">\(file.size)</td><td>\(hash(file.sha256))</td><td>\(hash(file.md5))</td><td>\(h(file.status))\(file.kind == "file" ? "" : " (\(h(file.kind)))")</td></tr>")
            }
            line("</tbody></table>")
        }

        // MARK: document

        func document() -> String {
            let info = model.caseInfo
            let script = HTMLAssets.script
            let scriptHash = Data(SHA256.hash(data: Array(script.utf8))).base64EncodedString()
            let style = HTMLAssets.style(
                headerLeft: Escape.cssString("Case \(info.caseNumber)"),
                headerRight: Escape.cssString("Report \(model.reportID)"),
                footerLeft: Escape.cssString("\(model.tool.name) \(model.tool.version) · generated \(model.generatedAtUTC)"))
            var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-\(scriptHash)'; base-uri 'none'; form-action 'none'\">\n"
            out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            out += "<meta name=\"generator\" content=\"\(Escape.html(model.tool.display))\">\n"
            out += "<meta name=\"dcterms.created\" content=\"\(Escape.html(model.generatedAtUTC))\">\n"
            out += "<meta name=\"dcterms.modified\" content=\"\(Escape.html(model.generatedAtUTC))\">\n"
            out += "<meta name=\"author\" content=\"\(Escape.html(model.examiner))\">\n"
            out += "<meta name=\"referrer\" content=\"no-referrer\">\n"
            out += "<title>Case \(Escape.html(info.caseNumber)) · imprint report \(Escape.html(model.reportID))</title>\n"
            out += "<style>\n\(style)\n</style>\n</head>\n"
            out += "<body data-case-number=\"\(Escape.html(info.caseNumber))\" data-report-id=\"\(Escape.html(model.reportID))\">\n"
            out += body
            out += "<script>\(script)</script>\n</body>\n</html>\n"
            return out
        }
    }
}
