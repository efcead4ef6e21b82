// A dev server in a few lines: serves public/index.html and prints its URL
// the way Vite does, so that Brummer shows the link.
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");
const { greet } = require("./src/greet.js");

const port = Number(process.env.PORT ?? 5173);
const server = http.createServer((req, res) => {
  if (req.url === "/api/greet") {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ message: greet("Brummer") }));
    return;
  }
  res.setHeader("content-type", "text/html; charset=utf-8");
  fs.createReadStream(path.join(__dirname, "public", "index.html")).pipe(res);
});

server.on("error", (err) => {
  console.error(`server error: ${err.message}`);
  process.exit(1);
});

server.listen(port, "127.0.0.1", () => {
  console.log("");
  console.log("  webapp dev server ready");
  console.log("");
  console.log(`  ➜  Local:   http://localhost:${server.address().port}/`);
});

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
