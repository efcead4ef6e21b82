(function () {
  "use strict";
  if (window.__brummerMonitor) return;
  window.__brummerMonitor = true;
  // The proxy puts its token on the tag: a report without it is refused, so
  // other pages the user has open cannot post to the editor.
  var me = document.currentScript;
  var token = (me && me.getAttribute("data-brummer-token")) || "";
  var endpoint = "/__brummer/telemetry?token=" + encodeURIComponent(token);
  // In-page rate limit: a render loop that throws must not flood the editor.
  var perWindow = 20, windowMs = 10000, maxText = 2000, maxFrames = 30, maxURL = 300;
  // A report stays under the proxy's size limit (64 KiB) even in UTF-8.
  var maxReport = 20000;
  var windowStart = Date.now(), sent = 0, dropped = 0, queue = [], timer = null;
  var origFetch = window.fetch;
  // Framework stacks are deep: keep enough frames to reach the page's code.
  if (typeof Error.stackTraceLimit === "number" && Error.stackTraceLimit < 30) Error.stackTraceLimit = 30;

  function clip(s) {
    s = String(s);
    return s.length > maxText ? s.slice(0, maxText) + "\u2026" : s;
  }
  function text(v) {
    if (v instanceof Error) return v.stack || String(v);
    if (typeof v === "string") return v;
    try { return JSON.stringify(v); } catch (_) { return String(v); }
  }
  // frames reads V8 ("    at fn (url:1:2)", "    at url:1:2") and
  // SpiderMonkey/JavaScriptCore ("fn@url:1:2") stacks.
  var v8 = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/;
  var gecko = /^(.*?)@(.+?):(\d+):(\d+)$/;
  function frames(stack) {
    var out = [];
    if (typeof stack !== "string") return out;
    var lines = stack.split("\n");
    for (var i = 0; i < lines.length && out.length < maxFrames; i++) {
      var m = v8.exec(lines[i]) || gecko.exec(lines[i]);
      if (!m) continue;
      out.push({ fn: (m[1] || "").slice(0, maxURL), url: m[2].slice(0, maxURL), line: +m[3], col: +m[4] });
    }
    return out;
  }
  function push(e) {
    var now = Date.now();
    if (e.kind !== "load") {
      if (now - windowStart > windowMs) { windowStart = now; sent = 0; }
      if (sent >= perWindow) { dropped++; return; }
      sent++;
    }
    e.message = clip(e.message || "");
    // The frames say what the stack says; the text is kept when none parsed.
    e.stack = e.frames && e.frames.length ? "" : clip(e.stack || "");
    queue.push(e);
    if (!timer) timer = setTimeout(flush, 50);
  }
  function flush() {
    timer = null;
    if (!queue.length && !dropped) return;
    var take = [], size = 0;
    while (queue.length) {
      var n = JSON.stringify(queue[0]).length;
      if (take.length && size + n > maxReport) break;
      take.push(queue.shift());
      size += n;
    }
    if (queue.length) timer = setTimeout(flush, 50);
    var body = JSON.stringify({ page: location.href.slice(0, maxURL), dropped: dropped, entries: take });
    dropped = 0;
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(endpoint, body)) return;
    } catch (_) {}
    try { origFetch.call(window, endpoint, { method: "POST", body: body, keepalive: true }); } catch (_) {}
  }
  function fromError(kind, level, err, fallback) {
    if (err instanceof Error) {
      return { kind: kind, level: level, name: err.name || "Error", message: err.message || "",
        stack: err.stack || "", frames: frames(err.stack) };
    }
    return { kind: kind, level: level, name: "", message: fallback, stack: "", frames: [] };
  }

  // Every page load starts a new cycle: errors of the last load are gone.
  push({ kind: "load", level: "info", message: location.href });

  window.addEventListener("error", function (ev) {
    if (!(ev instanceof ErrorEvent)) return; // failed <img>/<script> loads
    var e = fromError("error", "error", ev.error, ev.message || "error");
    if (!e.frames.length && ev.filename) {
      e.frames = [{ fn: "", url: ev.filename, line: ev.lineno || 0, col: ev.colno || 0 }];
    }
    if (!e.name) {
      var m = /^(?:Uncaught )?([A-Z]\w*(?:Error|Exception))\b/.exec(ev.message || "");
      e.name = m ? m[1] : "Error";
    }
    push(e);
  });
  window.addEventListener("unhandledrejection", function (ev) {
    var r = ev.reason;
    push(fromError("rejection", "error", r, text(r)));
  });
  ["error", "warn"].forEach(function (level) {
    var orig = console[level];
    if (typeof orig !== "function") return;
    console[level] = function () {
      try {
        var parts = [], err = null;
        for (var i = 0; i < arguments.length; i++) {
          if (!err && arguments[i] instanceof Error) err = arguments[i];
          parts.push(text(arguments[i]));
        }
        var e = { kind: "console", level: level, name: "", message: parts.join(" "), stack: "", frames: [] };
        if (level === "error") {
          // Where console.error was called: the caller's frames.
          e.frames = err ? frames(err.stack) : frames(new Error().stack).slice(1);
          if (err) e.name = err.name || "Error";
        }
        push(e);
      } catch (_) {}
      return orig.apply(this, arguments);
    };
  });

  // Failed requests of the page (status >= 500 or no answer), at the call.
  function failed(method, url, status, stack) {
    push({ kind: "fetch", level: "warn", name: status ? "HTTP " + status : "NetworkError",
      message: method + " " + url + (status ? " answered " + status : " failed"),
      stack: "", frames: frames(stack).slice(1) });
  }
  if (typeof origFetch === "function") {
    window.fetch = function (input, init) {
      var stack = new Error().stack;
      var method = (init && init.method) || (input && input.method) || "GET";
      var url = typeof input === "string" ? input : (input && input.url) || String(input);
      return origFetch.apply(this, arguments).then(function (res) {
        if (res.status >= 500) failed(method, url, res.status, stack);
        return res;
      }, function (err) {
        failed(method, url, 0, stack);
        throw err;
      });
    };
  }
  var xhrOpen = XMLHttpRequest.prototype.open, xhrSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.__brummer = { method: String(method), url: String(url) };
    return xhrOpen.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var info = this.__brummer, stack = new Error().stack, xhr = this;
    if (info) {
      xhr.addEventListener("load", function () {
        if (xhr.status >= 500) failed(info.method, info.url, xhr.status, stack);
      });
      xhr.addEventListener("error", function () { failed(info.method, info.url, 0, stack); });
    }
    return xhrSend.apply(this, arguments);
  };
  window.addEventListener("pagehide", flush);
})();
