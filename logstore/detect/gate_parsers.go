package detect

// The idle interests of the built-in parsers: each must cover every line
// its Feed takes, emits for, or changes its state on while gateBusy is
// false (read the Feed beside it when changing either). gateBusy must also
// be true whenever Flush would do anything.

var (
	// Headers carry a code ("error TS2322"), watch lines end as
	// watchLine reads them, and "Found 2 errors", "Errors  Files" start
	// the summaries.
	gateTsc = gateFirst("FE", false).with(gateTscCode | gateTscWatch)
	// "/abs/file" headers, "✖ 5 problems", compact (", col ") and unix rows,
	// the json formatter's "[{" line.
	// (unix rows end with ']').
	gateEslint = gateFirst("/", false).afterBracket("{").nonASCII().with(gateEndClose | gateCommaCol)
	// Idle, both take only their own words first: "PASS", "Test ...",
	// not "POST /api 200" or "TypeError: x".
	gateVitest = gateFirst("RDFPT", false).nonASCII().then('P', "A").then('T', "e")
	gateJest   = gateFirst("FPTSRD", false).nonASCII().then('P', "A").then('T', "e")
	// "[vite] ..." anywhere, rolldown's "[CODE] msg" (and "[plugin x]")
	// first or after a log prefix, "Build failed with 2 errors:",
	// "error during build:", "build started...".
	gateVite = gateFirst("eBTEb", false).afterBracket("ABCDEFGHIJKLMNOPQRSTUVWXYZpv").with(gateViteTag)
	// "✘ [ERROR]" blocks (and their ASCII forms), "[watch] build ...",
	// "a.js:1:2: ERROR: msg" of the API, "1 warning and 2 errors".
	gateEsbuild = gateFirst("X>", false).afterBracket("w").nonASCII().with(gateDiagCaps | gateCount)
	// "[!] ..." errors, "(!) ..." warnings, "bundles ..." after "waiting
	// for changes...", and vite build's "src/a.js (4:10): msg" warnings.
	gateRollup  = gateFirst("b(", false).afterBracket("!").with(gateRollupWait | gateParenLoc)
	gateWebpack = gateFirst("EWwac<", false)
	// Idle, node takes error lines ("XError: ...", also after a prefix),
	// cycles ("[nodemon] ...", "Restarting '...'"), "/path:line" and
	// "file://...:line" headers, and test runners' console sections
	// ("  console.log", "stderr | ...").
	gateNode    = gateFirst("R/fcs", false).afterBracket("n").with(gateErrWord)
	gateGopanic = gateFirst("pf", false)
	// The rule of '=' before "WARNING: DATA RACE".
	gateGorace = gateFirst("=", false)
	// "vet: " may come before the location.
	gateGobuild = gateFirst("v#", false).with(gateStrictLoc)
	gateGotest  = gateFirst("-=Fo", false).with(gateStrictLoc)
	// "note: test did not panic", the short format "a.rs:1:2: error[E1]: ...",
	// "error..." and "warning..." headers (not "webpack 5 compiled").
	gateRust    = gateFirst("Cewtn", false).then('e', "r").then('w', "a").with(gateStrictLoc)
	gatePython  = gateFirst("TF", false)
	gateGeneric = gateInterest{any: gateStrictLoc}
	// make's "Entering directory" lines, diagnostics, "In function" context.
	// Paths with spaces and ld's own prefix are found by gateDiag.
	gateGcc = gateFirst("mg", false).with(gateStrictLoc | gateEndColon | gateDiag)
)

func (*tscParser) gateInterest() gateInterest { return gateTsc }
func (p *tscParser) gateBusy() bool           { return p.state != tscIdle }

func (*eslintParser) gateInterest() gateInterest { return gateEslint }
func (p *eslintParser) gateBusy() bool           { return p.file != "" }

func (*vitestParser) gateInterest() gateInterest { return gateVitest }
func (p *vitestParser) gateBusy() bool           { return p.block.open }

func (*jestParser) gateInterest() gateInterest { return gateJest }
func (p *jestParser) gateBusy() bool           { return p.block.open || p.console != jestNoConsole }

func (*viteParser) gateInterest() gateInterest { return gateVite }
func (p *viteParser) gateBusy() bool           { return p.open || p.rd.busy() }

func (*esbuildParser) gateInterest() gateInterest { return gateEsbuild }
func (p *esbuildParser) gateBusy() bool           { return p.open }

func (*rollupParser) gateInterest() gateInterest { return gateRollup }
func (p *rollupParser) gateBusy() bool           { return p.open || p.warn }

func (*webpackParser) gateInterest() gateInterest { return gateWebpack }
func (p *webpackParser) gateBusy() bool           { return p.open }

func (*nodeParser) gateInterest() gateInterest { return gateNode }
func (p *nodeParser) gateBusy() bool           { return p.inError || p.hdrState != 0 || p.console != 0 }

func (*gopanicParser) gateInterest() gateInterest { return gateGopanic }
func (g *gopanicParser) gateBusy() bool           { return g.state != gopanicIdle }

func (*goraceParser) gateInterest() gateInterest { return gateGorace }
func (g *goraceParser) gateBusy() bool           { return g.state != goraceIdle }

func (*gobuildParser) gateInterest() gateInterest { return gateGobuild }
func (g *gobuildParser) gateBusy() bool           { return g.pending != nil }

func (*gotestParser) gateInterest() gateInterest { return gateGotest }
func (g *gotestParser) gateBusy() bool           { return g.last != nil || len(g.entries) > 0 }

func (*rustParser) gateInterest() gateInterest { return gateRust }
func (r *rustParser) gateBusy() bool           { return r.state != rustIdle }

func (*pythonParser) gateInterest() gateInterest { return gatePython }
func (p *pythonParser) gateBusy() bool           { return p.state != pythonIdle || p.pending != nil }

func (*genericParser) gateInterest() gateInterest { return gateGeneric }
func (*genericParser) gateBusy() bool             { return false }

func (*gccParser) gateInterest() gateInterest { return gateGcc }
func (g *gccParser) gateBusy() bool           { return g.have || len(g.context) > 0 }

// "not ok", "ok", "TAP version", "# " comments, "Node.js v20.1.0" after a
// crash, and the spec reporter's "✖", "✔", "▶", "ℹ" lines.
var gateTap = gateFirst("noT#N", false).nonASCII()

func (*tapParser) gateInterest() gateInterest { return gateTap }
func (p *tapParser) gateBusy() bool {
	return p.state != tapIdle || p.inner.inError || p.inner.hdrState != 0 || p.inner.console != 0 ||
		len(p.pending) > 0 || p.spec || p.specSum || p.entry || p.nodeTrailer || p.testAt.File != ""
}

// The one-line linters (parse_lint.go): tslint's "ERROR: "/"WARNING: ",
// "[warn]", "[error]", "[ERROR]", "[WARNING]" of prettier, maven and
// checkstyle, black's and scalastyle's "error ..."/"would reformat",
// kotlinc's "e: "/"w: ", php's "PHP Parse error: ", "Warning: ", ...
// (gatePHP); svelte-check's machine rows and the path-first rows by their
// first token (gateLooseLoc, gateStrictLoc, gateTabField), puppet-lint's
// " - ERROR: ".
// Lowercase, only black's "error: "/"would reformat ", "error file=",
// "warning file=" and kotlinc's "e: "/"w: " start a row.
var gateLintLine = gateFirst("EWew", false).then('e', "r:").then('w', "oa:").afterBracket("weEW").
	with(gateStrictLoc | gateLooseLoc | gateTabField | gateDashCaps | gatePHP)

// Grouped linters (parse_lint_group.go): a file alone on a line (maybe
// with its place), pydocstyle's and shellcheck's headers end with ':'.
var gateLintGroup = gateInterest{any: gateOneToken | gateEndColon}

// javac's and scalac's "path:3: error: msg" (and warnings), sbt's
// "[error] ..." and "[warn] ...".
var gateJvm = gateInterest{any: gateDiag}.afterBracket("ew")

// biome's headers end with its heavy rule; oxlint's messages start with
// "x", "!", "×" or "⚠" (after two spaces).
var gateBiome = gateFirst("x!", false).nonASCII().with(gateEndHeavy)
