// Package redistest starts a real, throw-away redis-server for tests: one server (Start), a
// Sentinel watching one (StartSentinel) or a three-master Redis Cluster (StartCluster).
//
// When redis-server is not on PATH, tests that need it are skipped with a message saying so,
// unless STACKPICK_REQUIRE_REDIS=1, in which case they fail: CI sets it so a missing Redis can
// never turn into a silently green run.
package redistest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// RequireEnv is the variable that turns a missing redis-server into a test failure.
const RequireEnv = "STACKPICK_REQUIRE_REDIS"

// Available reports whether redis-server is on PATH; when it is not and Redis is required, the
// test fails.
func Available(t testing.TB) bool {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("redis-server is not on PATH and %s=1", RequireEnv)
		}
		return false
	}
	return true
}

// Server is a redis-server on a loopback port, with its data in a temporary directory.
type Server struct {
	Addr string
	dir  string
	port int
	cmd  *exec.Cmd
	// monitors is, for a Sentinel, the "name host port" of the master it watches.
	monitors string
	// cluster makes it a Redis Cluster node (see StartCluster).
	cluster bool
}

// Start runs a fresh redis-server (no persistence) for the test and stops it at cleanup. It
// skips the test when redis-server is missing (see the package doc).
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, "")
}

// StartSentinel runs a redis-server in Sentinel mode watching master under name, for the test.
func StartSentinel(t testing.TB, master *Server, name string) *Server {
	t.Helper()
	return start(t, name+" 127.0.0.1 "+strconv.Itoa(master.port))
}

func start(t testing.TB, monitors string) *Server {
	t.Helper()
	if !Available(t) {
		t.Skip("redis-server is not on PATH; skipping the Redis run (set " + RequireEnv + "=1 to fail instead)")
	}
	return launch(t, freePort, Server{monitors: monitors})
}

// launch starts a server like kind (its mode) on a port from pick, in a temporary directory,
// stopped at cleanup; it tries another port when the one picked was taken before the server
// bound it.
func launch(t testing.TB, pick func() (int, error), kind Server) *Server {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port, err := pick()
		if err != nil {
			t.Fatal(err)
		}
		srv := kind
		srv.Addr, srv.dir, srv.port = net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), t.TempDir(), port
		if lastErr = srv.start(); lastErr == nil {
			t.Cleanup(srv.Stop)
			return &srv
		}
	}
	t.Fatalf("start redis-server: %v", lastErr)
	return nil
}

// Restart starts the server again on the same address after Stop, with the data it had: writes
// go to an append-only file, which a graceful stop flushes.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if err := s.start(); err != nil {
		t.Fatalf("restart redis-server on %s: %v", s.Addr, err)
	}
}

func (s *Server) start() error {
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--dir", s.dir, "--loglevel", "notice")
	readyLine := "Ready to accept connections"
	if s.cluster {
		// A cluster node keeps its view of the cluster in a file of its own; the data needs no
		// persistence.
		cmd = exec.Command("redis-server", "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--dir", s.dir, "--loglevel", "notice",
			"--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(s.dir, "nodes.conf"))
	}
	if s.monitors != "" {
		// A Sentinel reads its master from a config file it may rewrite, and says when it watches it.
		conf := filepath.Join(s.dir, "sentinel.conf")
		text := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nsentinel monitor %s 1\n", s.port, s.dir, s.monitors)
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			return err
		}
		cmd = exec.Command("redis-server", conf, "--sentinel")
		readyLine = "+monitor master"
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		return err
	}
	// redis-server says when it accepts connections; waiting for that line is the readiness
	// signal, with no polling.
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(out)
		var log []string
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, readyLine) {
				ready <- nil
				_, _ = io.Copy(io.Discard, out)
				return
			}
			log = append(log, line)
		}
		ready <- fmt.Errorf("redis-server exited before it was ready:\n%s", strings.Join(log, "\n"))
	}()
	select {
	case err := <-ready:
		if err != nil {
			_ = cmd.Wait()
			return err
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return fmt.Errorf("redis-server on port %d not ready after 30s", s.port)
	}
	s.cmd = cmd
	return nil
}

// Pause freezes the server (SIGSTOP) with its connections open: it accepts new connections (the
// kernel completes them) but answers nothing, as a hung Redis does. Resume undoes it; Stop
// resumes a paused server before stopping it.
func (s *Server) Pause(t testing.TB) {
	t.Helper()
	if err := s.signal(syscall.SIGSTOP); err != nil {
		t.Fatalf("pause redis-server on %s: %v", s.Addr, err)
	}
}

// Resume lets a paused server answer again (SIGCONT); what it was sent meanwhile is answered then.
func (s *Server) Resume(t testing.TB) {
	t.Helper()
	if err := s.signal(syscall.SIGCONT); err != nil {
		t.Fatalf("resume redis-server on %s: %v", s.Addr, err)
	}
}

func (s *Server) signal(sig syscall.Signal) error {
	if s.cmd == nil || s.cmd.ProcessState != nil {
		return fmt.Errorf("the server is not running")
	}
	return s.cmd.Process.Signal(sig)
}

// Stop shuts the server down gracefully (it flushes its data) and waits for it to exit; a server
// that does not exit within 10 s is killed.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGCONT) // a paused server cannot act on SIGTERM
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	exited := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-exited
	}
}

// Client returns a client of the server, closed at the test's cleanup.
func (s *Server) Client(t testing.TB) redis.UniversalClient {
	t.Helper()
	c := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{s.Addr}})
	t.Cleanup(func() { _ = c.Close() })
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("ping redis at %s: %v", s.Addr, err)
	}
	return c
}

// freePort picks a free port below the kernel's ephemeral range (32768 and up on Linux). A port in
// that range can be taken, while the server is stopped, by a client's own dial to it (a TCP
// self-connect), and then the server cannot come back on it.
func freePort() (int, error) {
	for attempt := 0; attempt < 100; attempt++ {
		port := 20000 + rand.IntN(12000)
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err == nil {
			l.Close()
			return port, nil
		}
	}
	return 0, fmt.Errorf("no free port found between 20000 and 32000")
}
