//go:build unix

package lsp

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"go.uber.org/zap"
)

// socketDirOverride replaces the socket directory in tests.
var socketDirOverride string

// socketDir is the user's socket directory: /run/user/UID/brummer where the
// system gives the user a runtime directory, else /tmp/brummer-UID. /tmp is
// named, not os.TempDir(): that reads TMPDIR, which the editor may have and
// an agent's trimmed environment has not.
func socketDir(create bool) (string, error) {
	uid := os.Getuid()
	if socketDirOverride != "" {
		return checkDir(socketDirOverride, uid, create)
	}
	run := "/run/user/" + strconv.Itoa(uid)
	if fi, err := os.Lstat(run); err == nil && fi.IsDir() && ownerOf(fi) == uid {
		return checkDir(filepath.Join(run, "brummer"), uid, create)
	}
	return checkDir(filepath.Join("/tmp", "brummer-"+strconv.Itoa(uid)), uid, create)
}

// checkDir makes dir (0700) if asked and it is missing, and refuses one
// that is not a plain directory of the user's that only the user can open:
// anyone who could write into it could plant a socket that takes the
// agent's commands.
func checkDir(dir string, uid int, create bool) (string, error) {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if !create {
			return dir, nil
		}
		if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("making the socket directory %s: %w", dir, err)
		}
		fi, err = os.Lstat(dir)
	}
	if err != nil {
		return "", fmt.Errorf("socket directory %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("socket directory %s is not a directory (a symlink or a file): remove it", dir)
	}
	if owner := ownerOf(fi); owner != uid {
		return "", fmt.Errorf("socket directory %s belongs to uid %d, not to you (uid %d): remove it", dir, owner, uid)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if !create {
			return "", fmt.Errorf("socket directory %s can be opened by other users (mode %o): chmod 700 it", dir, fi.Mode().Perm())
		}
		if err := os.Chmod(dir, 0o700); err != nil {
			return "", fmt.Errorf("making the socket directory %s private: %w", dir, err)
		}
	}
	return dir, nil
}

func ownerOf(fi fs.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}

// listenUnix listens on path, mode 0600. A socket left by a server that was
// killed (nothing accepts on it) is replaced; a live one belongs to another
// brummer serving the same workspace, and is left alone (nil, nil).
func listenUnix(path string, log *zap.Logger) (*net.UnixListener, fs.FileInfo, error) {
	if _, err := os.Lstat(path); err == nil {
		c, derr := net.DialTimeout("unix", path, time.Second)
		if derr == nil {
			_ = c.Close()
			log.Info("another brummer serves this workspace's socket; agents attach to that one", zap.String("socket", path))
			return nil, nil, nil
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("removing the stale socket %s: %w", path, err)
		}
		log.Info("replaced a stale socket", zap.String("socket", path), zap.NamedError("dial", derr))
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, nil, fmt.Errorf("listening on %s: %w", path, err)
	}
	// Removed by close only while it is still ours (see removeSocket).
	ln.SetUnlinkOnClose(false)
	// The directory is private already; the mode says so again.
	if err := os.Chmod(path, 0o600); err != nil {
		_ = ln.Close()
		_ = os.Remove(path)
		return nil, nil, fmt.Errorf("making the socket %s private: %w", path, err)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		_ = ln.Close()
		return nil, nil, fmt.Errorf("socket %s: %w", path, err)
	}
	return ln, fi, nil
}

// removeSocket removes path if it is still the socket this server made: a
// server that replaced it in the meantime keeps its own.
func removeSocket(path string, mine fs.FileInfo) {
	if cur, err := os.Lstat(path); err == nil && os.SameFile(cur, mine) {
		_ = os.Remove(path)
	}
}

// checkPeer refuses a client of another user. The file modes already keep
// them out, except root's clients and systems that ignore socket modes.
func checkPeer(c net.Conn) error {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return nil
	}
	uid, err := peerUID(uc)
	if err != nil {
		return fmt.Errorf("reading the peer's credentials: %w", err)
	}
	if uid >= 0 && uid != os.Getuid() {
		return fmt.Errorf("a process of uid %d connected: only uid %d may use this socket", uid, os.Getuid())
	}
	return nil
}
