package pgserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	// clusterUser is the OS user that owns a private cluster when this
	// process runs as root (PostgreSQL refuses to run as root), and always
	// the name of the cluster's superuser role.
	clusterUser = "postgres"

	// confFile is written into the data directory before every start and
	// included from postgresql.conf, so that the listen address, port and
	// socket directory follow Options and the directory's current location.
	confFile = "hookd.conf"

	// logFile receives the server's log, inside the data directory.
	logFile = "postgres.log"

	// startTimeout bounds how long pg_ctl waits for the server to accept
	// connections, and how long Start waits for a server another process is
	// starting or stopping.
	startTimeout = 60 * time.Second

	// statStatements is the extension Options.StatStatements preloads.
	statStatements = "pg_stat_statements"

	// maxSocketPath is the longest Unix socket path PostgreSQL accepts
	// (sizeof(sun_path) minus the terminating NUL).
	maxSocketPath = 107
)

// Start starts the private cluster under opts.DataDir, or reuses it if it is
// already running, and returns its superuser URL with database "postgres".
// Find calls it when no other server is found; most callers want Find.
//
// The first call initialises the data directory with initdb (trust
// authentication, UTF8, C locale). initdb and pg_ctl are looked up in PATH,
// then in /usr/lib/postgresql/<version>/bin (highest version first). When this
// process runs as root they run as OS user postgres, who must own the data
// directory (Start chowns it) and be able to reach it: every ancestor directory
// must be searchable by that user, which Start checks up front.
//
// Start is safe to call concurrently from several processes: an exclusive
// file lock next to the data directory (DataDir + ".lock") serialises them.
func Start(ctx context.Context, opts Options) (Server, error) {
	opts = opts.withDefaults()
	if opts.DataDir == "" {
		return Server{}, errors.New("starting private PostgreSQL: data directory is empty")
	}
	dataDir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return Server{}, fmt.Errorf("resolving data directory: %w", err)
	}

	c, err := newCluster(dataDir)
	if err != nil {
		return Server{}, err
	}

	// The parent holds the lock file, and must be reachable for the OS user
	// running PostgreSQL whatever the umask.
	if err := mkdirReachable(filepath.Dir(dataDir)); err != nil {
		return Server{}, err
	}
	unlock, err := lockFile(ctx, dataDir+".lock")
	if err != nil {
		return Server{}, err
	}
	defer unlock()

	port, err := c.ensureRunning(ctx, opts)
	if err != nil {
		return Server{}, err
	}
	return Server{URL: clusterURL(port), Private: true}, nil
}

// Stop stops the private cluster under dataDir (fast shutdown: open sessions
// are disconnected) and waits until it is down. Stopping a cluster that is not
// running, or a directory that holds none, is not an error.
func Stop(ctx context.Context, dataDir string) error {
	dataDir, err := filepath.Abs(dataDir)
	if err != nil {
		return fmt.Errorf("resolving data directory: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "postmaster.pid")); errors.Is(err, fs.ErrNotExist) {
		return nil
	}

	c, err := newCluster(dataDir)
	if err != nil {
		return err
	}

	unlock, err := lockFile(ctx, dataDir+".lock")
	if err != nil {
		return err
	}
	defer unlock()

	if _, err := os.Stat(filepath.Join(dataDir, "postmaster.pid")); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	out, err := c.run(ctx, c.pgCtl, "stop", "--pgdata", dataDir, "--mode", "fast", "--wait",
		"--timeout", strconv.Itoa(int(startTimeout.Seconds())))
	if err != nil {
		return fmt.Errorf("stopping PostgreSQL in %s: %w\n%s", dataDir, err, out)
	}
	return nil
}

// Crash restarts the private cluster under dataDir the way a crash does
// (pg_ctl restart --mode immediate: every session is cut without a
// checkpoint, and the server recovers from its WAL as it starts again),
// and waits until it accepts connections. Tests of surviving a database
// crash use it.
func Crash(ctx context.Context, dataDir string) error {
	dataDir, err := filepath.Abs(dataDir)
	if err != nil {
		return fmt.Errorf("resolving data directory: %w", err)
	}
	c, err := newCluster(dataDir)
	if err != nil {
		return err
	}
	unlock, err := lockFile(ctx, dataDir+".lock")
	if err != nil {
		return err
	}
	defer unlock()
	out, err := c.run(ctx, c.pgCtl, "restart", "--pgdata", dataDir, "--mode", "immediate", "--wait",
		"--timeout", strconv.Itoa(int(startTimeout.Seconds())), "--log", filepath.Join(dataDir, logFile))
	if err != nil {
		return fmt.Errorf("crash-restarting PostgreSQL in %s: %w\n%s", dataDir, err, out)
	}
	_, err = c.waitReady(ctx)
	return err
}

func clusterURL(port int) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", clusterUser, port)
}

// cluster runs the PostgreSQL binaries against one data directory.
type cluster struct {
	dataDir string
	initdb  string
	pgCtl   string

	// runAs is the OS user to switch to (clusterUser when running as root),
	// or nil to run the binaries as the current user.
	runAs *user.User
}

func newCluster(dataDir string) (*cluster, error) {
	initdb, pgCtl, err := findBinaries()
	if err != nil {
		return nil, err
	}
	c := &cluster{dataDir: dataDir, initdb: initdb, pgCtl: pgCtl}
	if os.Geteuid() == 0 {
		u, err := user.Lookup(clusterUser)
		if err != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL must run as OS user %q, which was not found: %w", clusterUser, err)
		}
		c.runAs = u
	}
	return c, nil
}

// ensureRunning starts the cluster unless it already runs, initialising it
// first if needed, and returns the port it listens on. The caller holds the
// cluster's file lock.
func (c *cluster) ensureRunning(ctx context.Context, opts Options) (int, error) {
	if port, ok := c.runningPort(ctx); ok {
		if opts.StatStatements {
			on, err := statStatementsOn(ctx, port)
			if err != nil {
				return 0, err
			}
			if !on {
				return c.restart(ctx, opts, port)
			}
		}
		opts.Logf("pgserver: reusing private PostgreSQL in %s on 127.0.0.1:%d", c.dataDir, port)
		return port, nil
	}

	// A postmaster may be running but not (yet, or any more) answering: one
	// that is starting up or shutting down. Wait for it rather than racing
	// it with a second one.
	if c.pidFilePort() != 0 {
		if _, err := c.run(ctx, c.pgCtl, "status", "--pgdata", c.dataDir); err == nil {
			return c.waitReady(ctx)
		}
	}

	if err := c.checkReachable(); err != nil {
		return 0, err
	}
	if err := c.initialise(ctx, opts); err != nil {
		return 0, err
	}
	port, err := freePort(opts.Port)
	if err != nil {
		return 0, err
	}
	if err := c.writeConf(port, opts); err != nil {
		return 0, err
	}

	opts.Logf("pgserver: starting private PostgreSQL in %s on 127.0.0.1:%d (log: %s)",
		c.dataDir, port, filepath.Join(c.dataDir, logFile))
	out, err := c.run(ctx, c.pgCtl, "start", "--pgdata", c.dataDir, "--wait",
		"--timeout", strconv.Itoa(int(startTimeout.Seconds())),
		"--log", filepath.Join(c.dataDir, logFile))
	if err != nil {
		return 0, fmt.Errorf("starting PostgreSQL in %s (see %s): %w\n%s",
			c.dataDir, filepath.Join(c.dataDir, logFile), err, out)
	}
	return c.waitReady(ctx)
}

// restart rewrites confFile for opts and restarts the running cluster on
// the port it listens on, for a cluster started without a setting opts asks
// for. The caller holds the cluster's file lock.
func (c *cluster) restart(ctx context.Context, opts Options, port int) (int, error) {
	if err := c.writeConf(port, opts); err != nil {
		return 0, err
	}
	opts.Logf("pgserver: restarting private PostgreSQL in %s on 127.0.0.1:%d to preload pg_stat_statements", c.dataDir, port)
	out, err := c.run(ctx, c.pgCtl, "restart", "--pgdata", c.dataDir, "--mode", "fast", "--wait",
		"--timeout", strconv.Itoa(int(startTimeout.Seconds())),
		"--log", filepath.Join(c.dataDir, logFile))
	if err != nil {
		return 0, fmt.Errorf("restarting PostgreSQL in %s (see %s): %w\n%s",
			c.dataDir, filepath.Join(c.dataDir, logFile), err, out)
	}
	return c.waitReady(ctx)
}

// statStatementsOn reports whether the cluster on port preloads
// pg_stat_statements and tracks nested statements.
func statStatementsOn(ctx context.Context, port int) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, clusterURL(port))
	if err != nil {
		return false, fmt.Errorf("connecting to private PostgreSQL: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	var libs string
	if err := conn.QueryRow(ctx, "SHOW shared_preload_libraries").Scan(&libs); err != nil {
		return false, fmt.Errorf("reading shared_preload_libraries: %w", err)
	}
	if !slices.Contains(strings.Split(strings.ReplaceAll(libs, " ", ""), ","), statStatements) {
		return false, nil
	}
	var track string
	if err := conn.QueryRow(ctx, "SHOW pg_stat_statements.track").Scan(&track); err != nil {
		return false, fmt.Errorf("reading pg_stat_statements.track: %w", err)
	}
	return track == "all", nil
}

// runningPort reports the port of the cluster's postmaster if one is running
// and answering.
func (c *cluster) runningPort(ctx context.Context) (int, bool) {
	port := c.pidFilePort()
	if port == 0 {
		return 0, false
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, clusterURL(port))
	if err != nil {
		return 0, false
	}
	defer conn.Close(context.WithoutCancel(ctx))

	// Another server may have taken the port since ours stopped.
	var dir string
	if err := conn.QueryRow(ctx, "SHOW data_directory").Scan(&dir); err != nil {
		return 0, false
	}
	return port, sameDir(dir, c.dataDir)
}

func sameDir(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA != nil || errB != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return os.SameFile(fa, fb)
}

// waitReady waits until the postmaster accepts connections, polling its
// pid file and the port it names.
func (c *cluster) waitReady(ctx context.Context) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()

	ticker := time.NewTicker(100 * time.Millisecond)
	defer ticker.Stop()
	for {
		if port, ok := c.runningPort(ctx); ok {
			return port, nil
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("waiting for PostgreSQL in %s to accept connections (see %s): %w",
				c.dataDir, filepath.Join(c.dataDir, logFile), ctx.Err())
		case <-ticker.C:
		}
	}
}

// pidFilePort returns the port recorded in postmaster.pid (its fourth line),
// or 0 when there is no such file.
func (c *cluster) pidFilePort() int {
	b, err := os.ReadFile(filepath.Join(c.dataDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return 0
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	if err != nil {
		return 0
	}
	return port
}

// freePort returns port if nothing listens on it, else the next free one of
// the few that follow it, so that several checkouts on one machine can each
// run their own private cluster.
func freePort(port int) (int, error) {
	const tries = 20
	for p := port; p < port+tries; p++ {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err == nil {
			_ = l.Close()
			return p, nil
		}
	}
	return 0, fmt.Errorf("ports %d to %d on 127.0.0.1 are all in use: choose another port for the private PostgreSQL", port, port+tries-1)
}

// initialise runs initdb unless the data directory already holds a cluster.
func (c *cluster) initialise(ctx context.Context, opts Options) error {
	if _, err := os.Stat(filepath.Join(c.dataDir, "PG_VERSION")); err == nil {
		return nil
	}

	if err := os.MkdirAll(c.dataDir, 0o700); err != nil {
		return fmt.Errorf("creating data directory: %w", err)
	}
	if err := c.chown(c.dataDir); err != nil {
		return err
	}

	opts.Logf("pgserver: initialising private PostgreSQL in %s", c.dataDir)
	out, err := c.run(ctx, c.initdb, "--pgdata", c.dataDir, "--username", clusterUser,
		"--auth", "trust", "--encoding", "UTF8", "--locale", "C")
	if err != nil {
		return fmt.Errorf("initialising PostgreSQL in %s: %w\n%s", c.dataDir, err, out)
	}

	f, err := os.OpenFile(filepath.Join(c.dataDir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("opening postgresql.conf: %w", err)
	}
	_, err = fmt.Fprintf(f, "\n# Settings managed by hookd (rewritten before every start).\ninclude_if_exists '%s'\n", confFile)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing postgresql.conf: %w", err)
	}
	return nil
}

// writeConf writes confFile: listen on 127.0.0.1:port with the Unix socket
// in the data directory (when its path is short enough for a socket), and
// preload pg_stat_statements when opts.StatStatements.
func (c *cluster) writeConf(port int, opts Options) error {
	socketDir := c.dataDir
	if len(filepath.Join(socketDir, fmt.Sprintf(".s.PGSQL.%d", port))) > maxSocketPath {
		socketDir = "" // TCP only: the path is too long for a Unix socket.
	}

	var b strings.Builder
	b.WriteString("# Written by hookd before every start of this private cluster; edits are overwritten.\n")
	b.WriteString("listen_addresses = '127.0.0.1'\n")
	fmt.Fprintf(&b, "port = %d\n", port)
	fmt.Fprintf(&b, "unix_socket_directories = '%s'\n", strings.ReplaceAll(socketDir, "'", "''"))
	// Room for many parallel test packages, each with a few pools.
	b.WriteString("max_connections = 200\n")
	if opts.StatStatements {
		fmt.Fprintf(&b, "shared_preload_libraries = '%s'\n", statStatements)
		b.WriteString("pg_stat_statements.track = all\n")
		b.WriteString("pg_stat_statements.track_planning = on\n")
	}

	path := filepath.Join(c.dataDir, confFile)
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return c.chown(path)
}

// checkReachable makes sure the OS user the server runs as can reach the
// data directory, which PostgreSQL otherwise reports obscurely. Only needed
// when switching user.
func (c *cluster) checkReachable() error {
	if c.runAs == nil {
		return nil
	}
	uid, _ := strconv.Atoi(c.runAs.Uid)
	gid, _ := strconv.Atoi(c.runAs.Gid)

	for dir := filepath.Dir(c.dataDir); ; dir = filepath.Dir(dir) {
		fi, err := os.Stat(dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("checking %s: %w", dir, err)
		}
		if err == nil && !searchable(fi, uid, gid) {
			return fmt.Errorf("directory %s is not accessible to OS user %q, who runs PostgreSQL: "+
				"allow it (chmod o+x %s), choose another data directory, or set the database URL",
				dir, clusterUser, dir)
		}
		if dir == filepath.Dir(dir) {
			return nil
		}
	}
}

func searchable(fi fs.FileInfo, uid, gid int) bool {
	mode := fi.Mode().Perm()
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case !ok:
		return mode&0o001 != 0
	case int(st.Uid) == uid:
		return mode&0o100 != 0
	case int(st.Gid) == gid:
		return mode&0o010 != 0
	default:
		return mode&0o001 != 0
	}
}

// chown gives path to the OS user the server runs as, when switching user.
func (c *cluster) chown(path string) error {
	if c.runAs == nil {
		return nil
	}
	uid, _ := strconv.Atoi(c.runAs.Uid)
	gid, _ := strconv.Atoi(c.runAs.Gid)
	if err := os.Chown(path, uid, gid); err != nil {
		return fmt.Errorf("giving %s to OS user %q: %w", path, clusterUser, err)
	}
	return nil
}

// run runs a PostgreSQL binary, as c.runAs when set, and returns its combined
// output.
func (c *cluster) run(ctx context.Context, bin string, args ...string) ([]byte, error) {
	var cmd *exec.Cmd
	switch {
	case c.runAs == nil:
		cmd = exec.CommandContext(ctx, bin, args...)
	default:
		if runuser, err := exec.LookPath("runuser"); err == nil {
			cmd = exec.CommandContext(ctx, runuser, append([]string{"-u", c.runAs.Username, "--", bin}, args...)...)
		} else {
			quoted := make([]string, 0, len(args)+1)
			for _, a := range append([]string{bin}, args...) {
				quoted = append(quoted, shellQuote(a))
			}
			cmd = exec.CommandContext(ctx, "su", c.runAs.Username, "-s", "/bin/sh", "-c", strings.Join(quoted, " "))
		}
		// The current directory may be unreadable for the other user.
		cmd.Dir = "/"
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	// pg_ctl start leaves the postmaster running; it must not keep our
	// output pipes open, but never hang on them if it does.
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if err != nil {
		err = fmt.Errorf("running %s %s: %w", filepath.Base(bin), args[0], err)
	}
	return out.Bytes(), err
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// findBinaries locates initdb and pg_ctl: first in PATH, then in the highest
// /usr/lib/postgresql/<version>/bin. pg_ctl is taken from initdb's directory
// when it is there, so that both belong to the same version.
func findBinaries() (initdb, pgCtl string, err error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		sibling := filepath.Join(filepath.Dir(p), "pg_ctl")
		if isExecutable(sibling) {
			return p, sibling, nil
		}
		if c, err := exec.LookPath("pg_ctl"); err == nil {
			return p, c, nil
		}
	}

	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return slices.Compare(versionOf(b), versionOf(a)) })
	for _, dir := range dirs {
		i, c := filepath.Join(dir, "initdb"), filepath.Join(dir, "pg_ctl")
		if isExecutable(i) && isExecutable(c) {
			return i, c, nil
		}
	}
	return "", "", ErrNoBinaries
}

// ErrNoBinaries is returned by Start (and so by Find) when no PostgreSQL
// server binaries (initdb and pg_ctl) are installed.
var ErrNoBinaries = errors.New("PostgreSQL binaries initdb and pg_ctl not found in PATH or /usr/lib/postgresql/*/bin: install the PostgreSQL server package or set the database URL")

// HasBinaries reports whether initdb and pg_ctl are installed, so that Start
// can work.
func HasBinaries() bool {
	_, _, err := findBinaries()
	return err == nil
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// versionOf extracts "15" or "9.6" from /usr/lib/postgresql/<version>/bin.
func versionOf(binDir string) []int {
	var v []int
	for _, part := range strings.Split(filepath.Base(filepath.Dir(binDir)), ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil
		}
		v = append(v, n)
	}
	return v
}

// mkdirReachable creates dir, and any missing parents, with mode 0755
// regardless of the umask. Existing directories are left alone.
func mkdirReachable(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := mkdirReachable(filepath.Dir(dir)); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("creating directory %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return fmt.Errorf("creating directory %s: %w", dir, err)
	}
	return nil
}

// lockFile takes an exclusive flock on path, creating it if needed, and
// returns the function that releases it. It waits for the lock until ctx is
// done.
func lockFile(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening lock file: %w", err)
	}

	ticker := time.NewTicker(25 * time.Millisecond)
	defer ticker.Stop()
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for lock %s: %w", path, ctx.Err())
		case <-ticker.C:
		}
	}

	return func() {
		// Closing the file releases the lock.
		_ = f.Close()
	}, nil
}
