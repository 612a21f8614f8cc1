// Command hookd is the webhook delivery server and its tools:
//
//	hookd serve                 run the server (GraphQL API, GraphiQL, deliveries)
//	hookd migrate               apply database migrations
//	hookd workspace create      create a workspace and print its ID
//	hookd token create          create an API token and print it
//	hookd keys generate|rotate  make an encryption key; re-encrypt the stored credentials under a new one
//	hookd dev                   what `make run` does: find or start PostgreSQL, migrate, seed, serve
//	hookd receive               a local webhook receiver that verifies and prints what arrives
//	hookd bench                 load a running hookd and measure deliveries, latency and cost
//
// Every command prints only its result on standard output; logs go to
// standard error. Configuration comes from flags and HOOKD_* environment
// variables (see `hookd serve --help`).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], env{stdout: os.Stdout, stderr: os.Stderr, lookup: os.LookupEnv})
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hookd:", err)
		os.Exit(1)
	}
}

// env is the program's view of its surroundings, so tests can run commands
// in-process.
type env struct {
	stdout, stderr io.Writer
	lookup         func(string) (string, bool)
}

func (e env) getenv(name string) string {
	v, _ := e.lookup(name)
	return v
}

const usage = `hookd — self-hosted webhook delivery server

Usage:
  hookd <command> [flags]

Commands:
  serve              run the server
  migrate            apply database migrations (hookd's and River's)
  workspace create   create a workspace and print its ID
  token create       create an API token and print it
  keys generate      print a new encryption key for HOOKD_ENCRYPTION_KEY
  keys rotate        re-encrypt every stored webhook credential under HOOKD_ENCRYPTION_KEY's first key
  dev                find or start PostgreSQL, migrate, seed a workspace, print tokens and serve in dev mode (make run)
  receive            run a local webhook receiver that prints every request and checks its signature and JWT
  bench              load-test a running server: publish events, receive and verify the deliveries, report throughput, latency and CPU per delivery
  bench river        measure River's own no-op ceiling on a PostgreSQL server

Run "hookd <command> --help" for a command's flags.
`

func run(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], e)
	case "migrate":
		return cmdMigrate(ctx, args[1:], e)
	case "workspace":
		return cmdWorkspace(ctx, args[1:], e)
	case "token":
		return cmdToken(ctx, args[1:], e)
	case "keys":
		return cmdKeys(ctx, args[1:], e)
	case "dev":
		return cmdDev(ctx, args[1:], e)
	case "bench":
		return cmdBench(ctx, args[1:], e)
	case "receive":
		return cmdReceive(ctx, args[1:], e)
	case "-h", "--help", "help":
		fmt.Fprint(e.stdout, usage)
		return nil
	}
	fmt.Fprint(e.stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// newFlagSet returns a flag set that prints its usage on stderr.
func newFlagSet(e env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: hookd %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}
