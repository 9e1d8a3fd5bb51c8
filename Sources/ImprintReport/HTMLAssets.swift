/// The report's stylesheet and script, inline so the file works offline and alone. The
/// same HTML is what the PDF engine paginates (print media: `@page` margin boxes carry the
/// case number and "page X of Y"); the script only sorts and filters the findings table in
/// a browser and is ignored by the PDF engine.
enum HTMLAssets {
    /// Page header and footer texts are CSS strings made by `Escape.cssString`.
    static func style(headerLeft: String, headerRight: String, footerLeft: String) -> String {
        """
        @page { size: A4; margin: 22mm 14mm 20mm 14mm;
          @top-left { content: \(headerLeft); font: 8pt sans-serif; color: #333; }
          @top-right { content: \(headerRight); font: 8pt sans-serif; color: #333; }
          @bottom-left { content: \(footerLeft); font: 7pt sans-serif; color: #555; }
          @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #333; } }
        :root { --ink: #111; --muted: #555; --rule: #bbb; --band: #f2f4f7; --warn: #8a1c1c; }
        body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: var(--ink);
          margin: 0 auto; max-width: 1200px; padding: 1em 1.5em; line-height: 1.35; }
        h1 { font-size: 18pt; margin: 0.2em 0; } h2 { font-size: 14pt; border-bottom: 2px solid var(--ink);
          margin-top: 1.6em; padding-bottom: 2px; } h3 { font-size: 11.5pt; margin: 1.1em 0 0.3em; }
        .running { font-size: 9pt; color: var(--muted); border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
        .restricted { color: var(--warn); font-weight: bold; }
        table { border-collapse: collapse; width: 100%; margin: 0.4em 0 0.8em; }
        th, td { border: 1px solid var(--rule); padding: 3px 5px; text-align: left; vertical-align: top; }
        th { background: var(--band); font-weight: bold; }
        table.kv th { width: 28%; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        code, .hash, pre { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8pt; }
        .hash, td.wrap { overflow-wrap: anywhere; word-break: break-all; } code { overflow-wrap: anywhere; }
        #findings-table td:nth-child(4) { min-width: 11em; } #findings-table td:nth-child(4) code { overflow-wrap: normal; } #findings-table td:nth-child(2) { max-width: 9em; }
        pre { white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-all; background: var(--band);
          padding: 4px 6px; margin: 2px 0; }
        .pass { color: #185c1e; font-weight: bold; } .fail { color: var(--warn); font-weight: bold; }
        .note { color: var(--muted); font-size: 9pt; }
        .caveat { border-left: 4px solid var(--warn); padding: 4px 8px; background: #fbf3f3; }
        .strength-conclusive, .strength-strong { font-weight: bold; }
        .controls { display: flex; flex-wrap: wrap; gap: 0.6em; align-items: center; margin: 0.4em 0;
          padding: 6px; background: var(--band); border: 1px solid var(--rule); }
        .controls input { min-width: 18em; }
        th.sortable { cursor: pointer; } th.sortable::after { content: " \\2195"; color: var(--muted); }
        th.sortable[aria-sort="ascending"]::after { content: " \\2191"; } th.sortable[aria-sort="descending"]::after { content: " \\2193"; }
        #findings-table, #custody-table { table-layout: fixed; font-size: 8.5pt; }
        col.c-item { width: 13%; } col.c-category { width: 10%; } col.c-label { width: 15%; } col.c-strength { width: 9%; }
        col.c-score { width: 6%; } col.c-summary { width: 36%; } col.c-analyzer { width: 11%; }
        col.c-seq { width: 5%; } col.c-time { width: 12%; } col.c-who { width: 15%; } col.c-action { width: 12%; }
        col.c-subject { width: 12%; } col.c-details { width: 22%; } col.c-hash { width: 22%; }
        td pre { font-size: 7pt; }
        tr[hidden] { display: none; }
        .sheet { display: flex; flex-wrap: wrap; gap: 8px; margin: 0.4em 0 1em; }
        figure.thumb { margin: 0; width: 112px; font-size: 7.5pt; text-align: center; break-inside: avoid; }
        figure.thumb img, figure.thumb .placeholder { width: 96px; height: 96px; object-fit: contain;
          border: 1px solid var(--rule); background: #ddd; display: block; margin: 0 auto; }
        figure.thumb img.pixelated { image-rendering: pixelated; }
        figure.thumb .placeholder { display: flex; align-items: center; justify-content: center; color: var(--muted);
          font-size: 7pt; padding: 2px; box-sizing: border-box; }
        figure.medoid img { outline: 2px solid var(--ink); }
        section.appendix-item { break-inside: avoid-page; border-top: 1px solid var(--rule); padding-top: 4px; }
        .signature { margin-top: 2.5em; display: flex; gap: 3em; } .signature div { border-top: 1px solid var(--ink);
          min-width: 16em; padding-top: 2px; font-size: 9pt; }
        @media print { .controls, th.sortable::after { display: none; } body { max-width: none; padding: 0; }
          h2 { break-after: avoid; } tr, figure.thumb { break-inside: avoid; } .cover { break-after: page; } }
        """
    }

    /// Sorting and filtering of the findings table. It touches only the DOM of this page
    /// (the Content-Security-Policy forbids any network access) and marks the body with
    /// `data-script="ok"` when it has run, or `data-script-error` when anything failed, so
    /// a headless browser check can tell.
    static let script = """
    (function () {
      "use strict";
      window.addEventListener("error", function (event) {
        document.body.setAttribute("data-script-error", String(event.message || "error"));
      });
      var table = document.getElementById("findings-table");
      if (!table) { document.body.setAttribute("data-script", "ok"); return; }
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var text = document.getElementById("filter-text");
      var strength = document.getElementById("filter-strength");
      var category = document.getElementById("filter-category");
      var counter = document.getElementById("filter-count");
      function apply() {
        var needle = text.value.trim().toLowerCase();
        var s = strength.value, c = category.value, shown = 0;
        rows.forEach(function (row) {
          var keep = (!needle || row.textContent.toLowerCase().indexOf(needle) >= 0) &&
            (!s || row.getAttribute("data-strength") === s) &&
            (!c || row.getAttribute("data-category") === c);
          row.hidden = !keep;
          if (keep) { shown += 1; }
        });
        counter.textContent = shown + " of " + rows.length + " findings shown";
        document.body.setAttribute("data-findings-shown", String(shown));
      }
      function key(row, index, numeric) {
        var cell = row.cells[index];
        var value = cell.hasAttribute("data-key") ? cell.getAttribute("data-key") : cell.textContent.trim();
        if (numeric) { var n = parseFloat(value); return isNaN(n) ? -Infinity : n; }
        return value.toLowerCase();
      }
      function sortBy(th, index, numeric) {
        var descending = th.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(th.parentNode.cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var sign = descending ? -1 : 1;
        rows.sort(function (a, b) {
          var x = key(a, index, numeric), y = key(b, index, numeric);
          if (x < y) { return -sign; }
          if (x > y) { return sign; }
          return Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        if (!th.classList.contains("sortable")) { return; }
        var sort = function () { sortBy(th, index, th.getAttribute("data-type") === "number"); };
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
        });
      });
      [text, strength, category].forEach(function (control) {
        control.addEventListener("input", apply);
        control.addEventListener("change", apply);
      });
      var hash = window.location.hash.replace(/^#/, "");
      hash.split("&").forEach(function (part) {
        var pair = part.split("=");
        var value = decodeURIComponent(pair[1] || "");
        if (pair[0] === "filter") { text.value = value; }
        if (pair[0] === "strength") { strength.value = value; }
        if (pair[0] === "category") { category.value = value; }
        if (pair[0] === "sort") {
          var th = document.getElementById("col-" + value);
          if (th) { sortBy(th, th.cellIndex, th.getAttribute("data-type") === "number"); }
        }
      });
      apply();
      document.body.setAttribute("data-script", "ok");
    })();
    """
}
