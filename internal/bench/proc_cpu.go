package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// procRoot is where the kernel shows processes (Linux).
const procRoot = "/proc"

// clockTicksDefault is the kernel's USER_HZ on every Linux architecture
// Go runs on, used when the auxiliary vector does not say.
const clockTicksDefault = 100

// atClkTck is the auxiliary vector's entry for the clock tick rate
// (AT_CLKTCK in <elf.h>).
const atClkTck = 17

// clockTicks returns the units of the times in /proc/<pid>/stat, per
// second: what sysconf(_SC_CLK_TCK) returns, which C libraries read from the
// auxiliary vector the kernel gives every process.
var clockTicks = sync.OnceValue(func() int64 {
	auxv, err := unix.Auxv()
	if err != nil {
		return clockTicksDefault
	}
	for _, kv := range auxv {
		if kv[0] == atClkTck && kv[1] > 0 {
			return int64(kv[1])
		}
	}
	return clockTicksDefault
})

// processCPU is the CPU time of one process, from /proc/<pid>/stat.
type processCPU struct {
	// PPID is the parent's process ID.
	PPID int
	// Self is the process's own user and system time (utime + stime).
	Self time.Duration
	// Children is the user and system time of the children it has waited
	// for (cutime + cstime), theirs included: where the time of a process
	// that exited goes, such as a PostgreSQL backend whose connection
	// closed.
	Children time.Duration
}

// Total is Self + Children.
func (c processCPU) Total() time.Duration { return c.Self + c.Children }

// readProcessCPU reads the CPU time of process pid. Its error wraps
// fs.ErrNotExist when there is no such process.
func readProcessCPU(pid int) (processCPU, error) {
	b, err := os.ReadFile(filepath.Join(procRoot, strconv.Itoa(pid), "stat"))
	if err != nil {
		return processCPU{}, fmt.Errorf("reading the CPU time of process %d: %w", pid, err)
	}
	c, err := parseStat(string(b))
	if err != nil {
		return processCPU{}, fmt.Errorf("reading the CPU time of process %d: %w", pid, err)
	}
	return c, nil
}

// parseStat parses the line of /proc/<pid>/stat (proc(5)): the process
// name, field 2, is in parentheses and may itself hold spaces and
// parentheses, so the fields are counted from the last ")".
func parseStat(line string) (processCPU, error) {
	i := strings.LastIndexByte(line, ')')
	if i < 0 {
		return processCPU{}, errors.New("unexpected /proc stat line: no process name")
	}
	// From field 3 (state) on.
	f := strings.Fields(line[i+1:])
	const ppid, utime, stime, cutime, cstime = 4 - 3, 14 - 3, 15 - 3, 16 - 3, 17 - 3
	if len(f) <= cstime {
		return processCPU{}, errors.New("unexpected /proc stat line: too few fields")
	}
	var n [5]int64
	for k, field := range []int{ppid, utime, stime, cutime, cstime} {
		v, err := strconv.ParseInt(f[field], 10, 64)
		if err != nil {
			return processCPU{}, fmt.Errorf("unexpected /proc stat field %d: %w", field+3, err)
		}
		n[k] = v
	}
	return processCPU{PPID: int(n[0]), Self: ticks(n[1] + n[2]), Children: ticks(n[3] + n[4])}, nil
}

// ticks converts clock ticks to a duration.
func ticks(n int64) time.Duration {
	return time.Duration(n) * time.Second / time.Duration(clockTicks())
}

// treeCPU returns the CPU time used so far by process root and all its
// descendants, those alive and those that have exited: the sum, over root
// and its living descendants, of their own time and that of the children
// they have waited for. It fails when root does not exist.
//
// The processes are read one after the other, not at one instant: a
// descendant that exits while they are read may be missed (its time has
// gone to a parent already read). Over a measurement window of seconds
// that is noise.
func treeCPU(root int) (time.Duration, error) {
	rootCPU, err := readProcessCPU(root)
	if err != nil {
		return 0, err
	}
	entries, err := os.ReadDir(procRoot)
	if err != nil {
		return 0, fmt.Errorf("listing processes: %w", err)
	}
	type process struct {
		pid int
		cpu processCPU
	}
	children := map[int][]process{} // by parent
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == root {
			continue
		}
		c, err := readProcessCPU(pid)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH) {
				continue // exited since the listing
			}
			return 0, err
		}
		children[c.PPID] = append(children[c.PPID], process{pid: pid, cpu: c})
	}

	total := rootCPU.Total()
	queue := []int{root}
	for len(queue) > 0 {
		parent := queue[0]
		queue = queue[1:]
		for _, c := range children[parent] {
			total += c.cpu.Total()
			queue = append(queue, c.pid)
		}
	}
	return total, nil
}

// postmasterPID returns the process ID of the PostgreSQL server whose data
// directory is dataDir: the first line of its postmaster.pid.
func postmasterPID(dataDir string) (int, error) {
	path := filepath.Join(dataDir, "postmaster.pid")
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("finding the PostgreSQL server: %w", err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("finding the PostgreSQL server: %s does not start with a process ID", path)
	}
	return pid, nil
}

// inTree reports whether process pid is root or one of its descendants.
func inTree(root, pid int) (bool, error) {
	for range 64 { // deeper than any process tree PostgreSQL makes
		if pid == root {
			return true, nil
		}
		if pid <= 1 {
			return false, nil
		}
		c, err := readProcessCPU(pid)
		if err != nil {
			return false, err
		}
		pid = c.PPID
	}
	return false, nil
}
