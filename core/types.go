package core

import (
	"github.com/brummer-dev/brummer/eventbus"
	"github.com/brummer-dev/brummer/logstore/detect"
	"github.com/brummer-dev/brummer/procmgr"
)

// TopicWorkspaceChanged is published (payload WorkspaceChanged) when
// manifests, lockfiles or .brummer.toml changed on disk (debounced).
const TopicWorkspaceChanged eventbus.Topic = "workspace.changed"

// Position is 0-based line and 0-based UTF-16 character, as in LSP.
type Position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// Range of text, LSP style.
type Range struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// Script is one entry of a manifest's "scripts".
type Script struct {
	Name           string `json:"name"`
	Command        string `json:"command"`
	Dir            string `json:"dir"`            // absolute package directory
	PackageManager string `json:"packageManager"` // npm, yarn, pnpm or bun
	Manifest       string `json:"-"`              // absolute path of package.json
	Range          Range  `json:"-"`              // the script's key in the manifest text
}

// Manifest is one package.json of the workspace.
type Manifest struct {
	Path           string
	Dir            string
	Name           string
	PackageManager string
	Scripts        []Script
	Err            error // the manifest could not be read or parsed; Scripts is empty
}

// WorkspaceChanged says what changed on disk.
type WorkspaceChanged struct {
	Paths        []string
	ConfigChange bool
}

// Process is a process as clients see it: its snapshot plus derived facts.
type Process struct {
	procmgr.Snapshot
	Errors   int
	Warnings int
	URLs     []URL
}

// URL served by a process, with its proxy when one runs.
type URL struct {
	URL       string `json:"url"`
	ProxyURL  string `json:"proxyUrl"`
	ProcessID string `json:"processId"`
	Script    string `json:"script"`
}

// ProcessProblem is a problem with the process that reported it.
type ProcessProblem struct {
	ProcessID string
	Script    string
	detect.Problem
}
