package procmgr

import (
	"bytes"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

func setSubreaper() error {
	return unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
}

// scriptAttr: the script dies with its supervisor even if the supervisor
// itself is killed outright.
func scriptAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

type procStat struct {
	pid, ppid, pgid int
	zombie          bool
}

// procs reads every process's pid, parent, group and state from /proc.
func procs() []procStat {
	d, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	out := make([]procStat, 0, len(names))
	buf := make([]byte, 512)
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		if s, ok := readStat(pid, buf); ok {
			out = append(out, s)
		}
	}
	return out
}

func readStat(pid int, buf []byte) (procStat, bool) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, false
	}
	n, _ := f.Read(buf)
	f.Close()
	b := buf[:n]
	// "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 >= len(b) {
		return procStat{}, false
	}
	f3 := bytes.Fields(b[i+2:])
	if len(f3) < 3 {
		return procStat{}, false
	}
	ppid, _ := strconv.Atoi(string(f3[1]))
	pgid, _ := strconv.Atoi(string(f3[2]))
	return procStat{pid: pid, ppid: ppid, pgid: pgid, zombie: f3[0][0] == 'Z' || f3[0][0] == 'X'}, true
}

// descendants lists the live descendants of root (not root itself).
func descendants(root int) []int {
	return walk(procs(), func(p procStat) bool { return p.ppid == root })
}

// groupTree lists the live members of a process group and all their
// descendants, those that left the group included.
func groupTree(pgid int) []int {
	return walk(procs(), func(p procStat) bool { return p.pid == pgid || p.pgid == pgid })
}

// walk returns the live processes that start selects and all their
// descendants.
func walk(ps []procStat, start func(procStat) bool) []int {
	kids := map[int][]int{}
	seen := map[int]bool{}
	var queue []int
	for _, p := range ps {
		if p.zombie {
			continue
		}
		kids[p.ppid] = append(kids[p.ppid], p.pid)
		if start(p) {
			queue = append(queue, p.pid)
			seen[p.pid] = true
		}
	}
	for i := 0; i < len(queue); i++ {
		for _, k := range kids[queue[i]] {
			if !seen[k] {
				seen[k] = true
				queue = append(queue, k)
			}
		}
	}
	return queue
}

// groupAlive reports whether a process of the group is still running;
// zombies do not count (they hold no resources but a pid, and an init that
// does not reap would otherwise keep a group "alive" forever).
func groupAlive(pgid int) bool {
	if err := syscall.Kill(-pgid, 0); err == syscall.ESRCH {
		return false
	}
	for _, p := range procs() {
		if p.pgid == pgid && !p.zombie {
			return true
		}
	}
	return false
}

// selfExe names this program for re-execution. /proc/self/exe still works
// when the file was replaced or deleted since (an upgrade, go run).
func selfExe() (string, error) { return "/proc/self/exe", nil }

// pidAlive reports whether pid runs (a zombie does not).
func pidAlive(pid int) bool {
	s, ok := readStat(pid, make([]byte, 512))
	return ok && !s.zombie
}
