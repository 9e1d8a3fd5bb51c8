import Foundation
import ImprintBytes
import ImprintImaging

/// Writes an evaluation's results: `metrics.json` (everything), `metrics.csv` (one row per
/// detector), `groups.csv`, `scores.csv` (one row per file), `roc.svg` and `index.html`.
/// File paths in the outputs are as written in the labels file; no image is embedded.
public enum EvalOutput {
    public static func write(_ result: Evaluation.Result, to directory: String) throws(EvalError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .output("cannot create \(directory): \(error)")
        }
        let files: [(String, String)] = [
            ("metrics.json", json(result).serialized() + "\n"),
            ("metrics.csv", metricsCSV(result)),
            ("groups.csv", groupsCSV(result)),
            ("scores.csv", scoresCSV(result)),
            ("roc.svg", ROCPlot.svg(result.reports)),
            ("index.html", html(result)),
        ]
        for (name, text) in files {
            let path = (directory as NSString).appendingPathComponent(name)
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { throw .output("cannot write \(path)") }
        }
    }

    public static func json(_ result: Evaluation.Result) -> JSONValue {
        .object([
            .init("labels", .string(result.labelsPath)),
            .init("split", result.options.split.map(JSONValue.string) ?? .null),
            .init("normalization", result.options.normalization.map { .string($0.description) } ?? .null),
            .init("files", .integer(result.rows.count)),
            .init("filesWithErrors", .integer(result.rows.filter { !$0.errors.isEmpty }.count)),
            .init("bootstrap", .object([.init("resamples", .integer(result.options.resamples)),
                                        .init("seed", .integer(Int64(bitPattern: result.options.seed))),
                                        .init("method", .string("stratified percentile"))])),
            .init("model", .object([.init("modelVersion", .string(result.options.model.modelVersion)),
                                    .init("threshold", .double(result.options.model.threshold))])),
            .init("secondsPerMegapixel", DetectorReport.r(result.secondsPerMegapixel, 5)),
            .init("detectors", .array(result.reports.map(\.json))),
            .init("detectorDescriptions", .object(Evaluation.builtIn.map { .init($0.name, .string($0.what)) }
                + result.options.externals.map { .init($0.name, .string("external: " + $0.arguments.joined(separator: " "))) })),
            .init("errors", .array(result.rows.filter { !$0.errors.isEmpty }.map {
                .object([.init("path", .string($0.item.path)), .init("errors", .array($0.errors.map(JSONValue.string)))])
            })),
        ])
    }

    static func f(_ value: Double?, _ digits: Int = 4) -> String {
        guard let value, value.isFinite else { return "" }
        return String(format: "%.\(digits)f", value)
    }

    static func metricsCSV(_ result: Evaluation.Result) -> String {
        var lines = ["detector,n,n_ai,n_real,failures,auc,auc_ci_low,auc_ci_high,tpr_at_fpr1,tpr_at_fpr5,threshold,accuracy,tp,fp,tn,fn,ece,brier"]
        for r in result.reports {
            lines.append([CSV.escape(r.name), "\(r.n)", "\(r.positives)", "\(r.negatives)", "\(r.failures)", f(r.auc),
                          f(r.aucInterval?.lower), f(r.aucInterval?.upper), f(r.tprAt1?.tpr), f(r.tprAt5?.tpr), f(r.threshold, 6),
                          f(r.confusion.accuracy), "\(r.confusion.truePositives)", "\(r.confusion.falsePositives)",
                          "\(r.confusion.trueNegatives)", "\(r.confusion.falseNegatives)", f(r.ece), f(r.brier)].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func groupsCSV(_ result: Evaluation.Result) -> String {
        var lines = ["detector,group,label,n,mean_score,flagged_rate,auc_against_other_class"]
        for r in result.reports {
            for g in r.groups {
                lines.append([CSV.escape(r.name), CSV.escape(g.group), g.label == 1 ? "ai" : "real", "\(g.n)", f(g.meanScore),
                              f(g.flaggedRate), f(g.aucAgainstOtherClass)].joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func scoresCSV(_ result: Evaluation.Result) -> String {
        var lines = ["path,label,group," + result.detectorNames.map(CSV.escape).joined(separator: ",") + ",errors"]
        for row in result.rows {
            lines.append([CSV.escape(row.item.path), row.item.label == 1 ? "ai" : "real", CSV.escape(row.item.group)]
                .joined(separator: ",") + "," + result.detectorNames.map { f(row.scores[$0], 6) }.joined(separator: ",")
                + "," + CSV.escape(row.errors.joined(separator: "; ")))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func html(_ result: Evaluation.Result) -> String {
        var rows = ""
        for r in result.reports {
            let interval = r.aucInterval.map { "\(f($0.lower, 3))–\(f($0.upper, 3))" } ?? "–"
            rows += "<tr><td>\(escapeHTML(r.name))</td><td>\(r.n) (\(r.positives) ai / \(r.negatives) real)</td><td>\(f(r.auc, 3))</td><td>\(interval)</td><td>\(f(r.tprAt1?.tpr, 3))</td><td>\(f(r.tprAt5?.tpr, 3))</td><td>\(f(r.threshold, 3))</td><td>\(f(r.confusion.accuracy, 3))</td><td>TP \(r.confusion.truePositives) FP \(r.confusion.falsePositives) TN \(r.confusion.trueNegatives) FN \(r.confusion.falseNegatives)</td><td>\(f(r.ece, 3))</td><td>\(r.failures)</td></tr>\n"
        }
        var strataRows = ""
        for r in result.reports {
            for stratum in r.strata {
                strataRows += "<tr><td>\(escapeHTML(r.name))</td><td>\(escapeHTML(stratum.name))</td><td>\(stratum.positives)</td><td>\(stratum.n - stratum.positives)</td><td>\(f(stratum.auc, 3))</td></tr>\n"
            }
        }
        var groupRows = ""
        for r in result.reports {
            for g in r.groups {
                groupRows += "<tr><td>\(escapeHTML(r.name))</td><td>\(escapeHTML(g.group))</td><td>\(g.label == 1 ? "ai" : "real")</td><td>\(g.n)</td><td>\(f(g.meanScore, 3))</td><td>\(f(g.flaggedRate, 3))</td><td>\(f(g.aucAgainstOtherClass, 3))</td></tr>\n"
            }
        }
        let descriptions = Evaluation.builtIn.map { "<li><b>\(escapeHTML($0.name))</b>: \(escapeHTML($0.what))</li>" }.joined()
            + result.options.externals.map { "<li><b>\(escapeHTML($0.name))</b>: external, <code>\(escapeHTML($0.arguments.joined(separator: " ")))</code></li>" }.joined()
        let normalization = result.options.normalization.map { "every input re-encoded as <code>\(escapeHTML($0.description))</code> before scoring" }
            ?? "raw files (format, encoder, size and metadata differences between the classes can inflate every figure; compare with <code>--normalize jpeg:90,maxside:512</code>)"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>imprint eval</title>
            <style>body{font-family:sans-serif;max-width:70em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:right}td:first-child,th:first-child{text-align:left}</style>
            </head><body>
            <h1>imprint eval</h1>
            <p>Labels: <code>\(escapeHTML(result.labelsPath))</code>\(result.options.split.map { ", split <code>\(escapeHTML($0))</code>" } ?? ""); \(result.rows.count) files; \(normalization).
            AUC intervals: \(result.options.resamples) stratified bootstrap resamples, seed \(result.options.seed). Scores are indicators, never verdicts.</p>
            <h2>Detectors</h2><ul>\(descriptions)</ul>
            <table><tr><th>detector</th><th>n</th><th>AUC</th><th>95 % CI</th><th>TPR @ 1 % FPR</th><th>TPR @ 5 % FPR</th><th>threshold</th><th>accuracy</th><th>confusion</th><th>ECE</th><th>failures</th></tr>
            \(rows)</table>
            <h2>ROC</h2>
            \(ROCPlot.svg(result.reports))
            <h2>Per group</h2>
            <p>flagged rate = share at or above the operating threshold (TPR for an ai group, FPR for a real group); AUC against all files of the other class.</p>
            <table><tr><th>detector</th><th>group</th><th>label</th><th>n</th><th>mean score</th><th>flagged rate</th><th>AUC</th></tr>
            \(groupRows)</table>
            <h2>Per format and size</h2>
            <p>AUC within each stratum of the scored files (shorter side in pixels), where both classes occur: what is left once the format or the size cannot separate the classes.</p>
            <table><tr><th>detector</th><th>stratum</th><th>ai</th><th>real</th><th>AUC</th></tr>
            \(strataRows)</table>
            <p>Base rates: at an FPR of 1 %, 100,000 real images give about 1,000 false flags.</p>
            </body></html>

            """
    }
}

/// The ROC curves of all detectors in one SVG.
public enum ROCPlot {
    static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    public static func svg(_ reports: [DetectorReport]) -> String {
        let size = 360.0, margin = 48.0
        func x(_ fpr: Double) -> String { String(format: "%.1f", margin + fpr * size) }
        func y(_ tpr: Double) -> String { String(format: "%.1f", margin + (1 - tpr) * size) }
        var body = ""
        body += "<rect x=\"\(margin)\" y=\"\(margin)\" width=\"\(size)\" height=\"\(size)\" fill=\"none\" stroke=\"#444\"/>\n"
        body += "<line x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(1))\" y2=\"\(y(1))\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>\n"
        for tick in stride(from: 0.0, through: 1.0, by: 0.2) {
            body += "<text x=\"\(x(tick))\" y=\"\(String(format: "%.1f", margin + size + 16))\" font-size=\"11\" text-anchor=\"middle\">\(String(format: "%.1f", tick))</text>\n"
            body += "<text x=\"\(String(format: "%.1f", margin - 6))\" y=\"\(y(tick))\" font-size=\"11\" text-anchor=\"end\" dominant-baseline=\"middle\">\(String(format: "%.1f", tick))</text>\n"
        }
        body += "<text x=\"\(x(0.5))\" y=\"\(String(format: "%.1f", margin + size + 34))\" font-size=\"12\" text-anchor=\"middle\">false-positive rate</text>\n"
        body += "<text x=\"14\" y=\"\(y(0.5))\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(y(0.5)))\">true-positive rate</text>\n"
        for (index, report) in reports.enumerated() where !report.roc.isEmpty {
            let colour = colours[index % colours.count]
            // A step curve: horizontal then vertical between operating points.
            var points: [String] = []
            var previous: BinaryMetrics.ROCPoint?
            for point in report.roc {
                if let previous { points.append("\(x(point.fpr)),\(y(previous.tpr))") }
                points.append("\(x(point.fpr)),\(y(point.tpr))")
                previous = point
            }
            body += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>\n"
            let label = "\(EvalOutput.escapeHTML(report.name)) (AUC \(EvalOutput.f(report.auc, 3)))"
            let ly = margin + 16 + Double(index) * 16
            body += "<rect x=\"\(String(format: "%.1f", margin + size + 12))\" y=\"\(String(format: "%.1f", ly - 9))\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>\n"
            body += "<text x=\"\(String(format: "%.1f", margin + size + 26))\" y=\"\(String(format: "%.1f", ly))\" font-size=\"12\">\(label)</text>\n"
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(size + 2 * margin + 220))" height="\(Int(size + 2 * margin + 10))" font-family="sans-serif">
            \(body)</svg>

            """
    }
}
