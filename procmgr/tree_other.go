//go:build unix && !linux

package procmgr

import (
	"os"
	"syscall"
)

// Without /proc and child subreapers, the manager reaches the process group
// only; descendants that leave it are out of reach.

func setSubreaper() error { return nil }

func scriptAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

func descendants(root int) []int { return nil }

func groupTree(pgid int) []int { return nil }

func groupAlive(pgid int) bool { return syscall.Kill(-pgid, 0) == nil }

func selfExe() (string, error) { return os.Executable() }

func pidAlive(pid int) bool { return syscall.Kill(pid, 0) == nil }
