(function () {
  "use strict";
  if (window.__brummerMonitor) return;
  window.__brummerMonitor = true;
  var endpoint = "/__brummer/telemetry";
  // In-page rate limit: a render loop that throws must not flood the editor.
  var perWindow = 20, windowMs = 10000, maxText = 4000;
  var windowStart = Date.now(), sent = 0, dropped = 0, queue = [], timer = null;

  function clip(s) {
    s = String(s);
    return s.length > maxText ? s.slice(0, maxText) + "\u2026" : s;
  }
  function text(v) {
    if (v instanceof Error) return v.stack || String(v);
    if (typeof v === "string") return v;
    try { return JSON.stringify(v); } catch (_) { return String(v); }
  }
  function push(e) {
    var now = Date.now();
    if (now - windowStart > windowMs) { windowStart = now; sent = 0; }
    if (sent >= perWindow) { dropped++; return; }
    sent++;
    queue.push(e);
    if (!timer) timer = setTimeout(flush, 50);
  }
  function flush() {
    timer = null;
    if (!queue.length && !dropped) return;
    var body = JSON.stringify({ page: location.href, dropped: dropped, entries: queue });
    queue = []; dropped = 0;
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(endpoint, body)) return;
    } catch (_) {}
    try { fetch(endpoint, { method: "POST", body: body, keepalive: true }); } catch (_) {}
  }

  window.addEventListener("error", function (ev) {
    if (!(ev instanceof ErrorEvent)) return; // failed <img>/<script> loads
    push({ kind: "error", level: "error", message: clip(ev.message || "error"),
      source: ev.filename || "", line: ev.lineno || 0, col: ev.colno || 0,
      stack: clip(ev.error && ev.error.stack ? ev.error.stack : "") });
  });
  window.addEventListener("unhandledrejection", function (ev) {
    var r = ev.reason;
    push({ kind: "rejection", level: "error",
      message: clip(r instanceof Error ? String(r) : text(r)),
      stack: clip(r && r.stack ? r.stack : "") });
  });
  ["error", "warn"].forEach(function (level) {
    var orig = console[level];
    if (typeof orig !== "function") return;
    console[level] = function () {
      try {
        var parts = [];
        for (var i = 0; i < arguments.length; i++) parts.push(text(arguments[i]));
        push({ kind: "console", level: level, message: clip(parts.join(" ")) });
      } catch (_) {}
      return orig.apply(this, arguments);
    };
  });
  window.addEventListener("pagehide", flush);
})();
