package bench

import (
	"bufio"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// burnEnv makes the test binary, run with -test.run=^TestBurnHelper$, the
// child process of TestTreeCPU.
const burnEnv = "HOOKD_BENCH_BURN"

// burnFor is the CPU time the child burns before reporting.
const burnFor = 50 * time.Millisecond

func TestParseStat(t *testing.T) {
	t.Parallel()

	tick := time.Second / time.Duration(clockTicks())
	testCases := []struct {
		name string
		line string
		want processCPU
	}{
		{
			name: "Plain",
			line: "4242 (postgres) S 4000 4242 4242 0 -1 4194560 100 0 0 0 7 3 20 5 20 0 1 0 12345 1000 10 18446744073709551615",
			want: processCPU{PPID: 4000, Self: 10 * tick, Children: 25 * tick},
		},
		{
			name: "NameWithSpacesAndParentheses",
			line: "7 (a) b (c)) R 1 7 7 0 -1 0 0 0 0 0 1 2 3 4 20 0 1 0 1 1 1",
			want: processCPU{PPID: 1, Self: 3 * tick, Children: 7 * tick},
		},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseStat(tt.line)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.want.Self+tt.want.Children, got.Total())
		})
	}

	for _, bad := range []string{"", "1 (x) S 1 2", "1 (x) S one 1 1 0 -1 0 0 0 0 0 1 2 3 4 20"} {
		_, err := parseStat(bad)
		require.Error(t, err, bad)
	}
}

func TestClockTicks(t *testing.T) {
	t.Parallel()

	// Linux's USER_HZ is 100 on every architecture Go supports.
	require.Equal(t, int64(100), clockTicks())
}

func TestReadProcessCPUSelf(t *testing.T) {
	t.Parallel()

	// /proc and getrusage report the same accounting; /proc in whole
	// ticks, rounded down.
	tick := time.Second / time.Duration(clockTicks())
	before := rusageSelf(t)
	burn(t, 3*tick)
	got, err := readProcessCPU(os.Getpid())
	require.NoError(t, err)
	after := rusageSelf(t)

	require.Equal(t, os.Getppid(), got.PPID)
	require.GreaterOrEqual(t, got.Self, before-2*tick) // utime and stime each rounded down
	require.LessOrEqual(t, got.Self, after)
	require.GreaterOrEqual(t, got.Self, 3*tick)
}

func TestReadProcessCPUMissing(t *testing.T) {
	t.Parallel()

	// PIDs never go this high (pid_max is at most 2^22).
	_, err := readProcessCPU(1 << 30)
	require.ErrorIs(t, err, fs.ErrNotExist)
	_, err = treeCPU(1 << 30)
	require.ErrorIs(t, err, fs.ErrNotExist)
}

func TestTreeCPU(t *testing.T) {
	t.Parallel()

	self := os.Getpid()
	before, err := readProcessCPU(self)
	require.NoError(t, err)

	// A child that burns burnFor of CPU, tells how much it used, and waits
	// for its standard input to close.
	cmd := exec.Command(os.Args[0], "-test.run=^TestBurnHelper$")
	cmd.Env = append(os.Environ(), burnEnv+"=1")
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	ns, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(line, "burned ")), 10, 64)
	require.NoError(t, err, line)
	burned := time.Duration(ns)
	require.GreaterOrEqual(t, burned, burnFor)

	child, err := readProcessCPU(cmd.Process.Pid)
	require.NoError(t, err)
	require.Equal(t, self, child.PPID)
	require.GreaterOrEqual(t, child.Self, burned)

	inside, err := inTree(self, cmd.Process.Pid)
	require.NoError(t, err)
	require.True(t, inside)
	inside, err = inTree(cmd.Process.Pid, self)
	require.NoError(t, err)
	require.False(t, inside)

	// Alive, the child counts in its parent's tree.
	tree, err := treeCPU(self)
	require.NoError(t, err)
	require.GreaterOrEqual(t, tree, before.Total()+burned)
	childTree, err := treeCPU(cmd.Process.Pid)
	require.NoError(t, err)
	require.GreaterOrEqual(t, childTree, burned)

	// Gone and waited for, its time is in the parent's children's time.
	require.NoError(t, stdin.Close())
	require.NoError(t, cmd.Wait())
	after, err := readProcessCPU(self)
	require.NoError(t, err)
	require.GreaterOrEqual(t, after.Children, before.Children+burned)
	treeAfter, err := treeCPU(self)
	require.NoError(t, err)
	require.GreaterOrEqual(t, treeAfter, tree)
}

// TestBurnHelper is TestTreeCPU's child process; it does nothing in a
// normal run.
func TestBurnHelper(t *testing.T) {
	if os.Getenv(burnEnv) == "" {
		return
	}
	burn(t, burnFor)
	c, err := readProcessCPU(os.Getpid())
	require.NoError(t, err)
	_, err = os.Stdout.WriteString("burned " + strconv.FormatInt(int64(c.Self), 10) + "\n")
	require.NoError(t, err)
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // until the parent closes it
	os.Exit(0)
}

func TestPostmasterPID(t *testing.T) {
	t.Parallel()

	dir := t.TempDir()
	_, err := postmasterPID(dir)
	require.ErrorIs(t, err, fs.ErrNotExist)

	path := filepath.Join(dir, "postmaster.pid")
	require.NoError(t, os.WriteFile(path, []byte("4242\n/var/lib/postgresql/15/main\n1700000000\n5432\n"), 0o600))
	pid, err := postmasterPID(dir)
	require.NoError(t, err)
	require.Equal(t, 4242, pid)

	require.NoError(t, os.WriteFile(path, []byte("\n"), 0o600))
	_, err = postmasterPID(dir)
	require.ErrorContains(t, err, "does not start with a process ID")
}

// burn spins until this process has used at least d more CPU time, by
// /proc's account.
func burn(t *testing.T, d time.Duration) {
	t.Helper()
	start, err := readProcessCPU(os.Getpid())
	require.NoError(t, err)
	x := 0
	for {
		for i := range 1_000_000 {
			x ^= i
		}
		now, err := readProcessCPU(os.Getpid())
		require.NoError(t, err)
		if now.Self-start.Self >= d {
			break
		}
	}
	_ = x
}

func rusageSelf(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	require.NoError(t, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
