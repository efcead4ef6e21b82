package main

import "io"

func init() {
	subcommands["run"] = subcommand{"run scripts with prefixed output and a problem summary", func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		return runCmd(args, stdout, stderr)
	}}
	subcommands["lsp"] = subcommand{"run the language server on stdin/stdout", lspCmd}
	subcommands["mcp"] = subcommand{"run the MCP server for coding agents on stdin/stdout", mcpCmd}
	subcommands["scripts"] = subcommand{"list the workspace's scripts", func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		return scriptsCmd(args, stdout, stderr)
	}}
}
