// Command shukei is the privacy-preserving web analytics server: it counts
// page views without identifiers and publishes only statistics.
//
//	shukei serve -site example.org     run the collector and the Stats API
//	shukei help                        list the commands
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the collector, the Stats API and the dashboard", runServe},
		{"snippet", "print the <script> tag a site pastes into its pages", runSnippet},
		{"publish", "write a site's open-data report files to a directory for static hosting", runPublish},
		{"notice", "print the analytics section of a site's privacy policy (English or Japanese, Markdown or HTML)", runNotice},
		{"purge", "delete a site's rows before a date, earlier than its retention", runPurge},
		{"import", "count web-server access logs through the same privacy pipeline as live hits", runImport},
		{"age", "merge old rows to hours and days now, as the server does every -ageing-interval", runAge},
		{"audit", "print the rows kept at each grain and the share of unique visitor tuples per day", runAudit},
		{"version", "print the version", runVersion},
	}
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			if err := c.run(ctx, args[1:], stdout, stderr); err != nil {
				if err == errUsage {
					return 2
				}
				fmt.Fprintf(stderr, "shukei %s: %v\n", c.name, err)
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "shukei: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: shukei <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'shukei <command> -h' for a command's flags. Every flag can also be set")
	fmt.Fprintln(w, "with an environment variable SHUKEI_<FLAG> (e.g. SHUKEI_LISTEN), which")
	fmt.Fprintln(w, "takes precedence over the command line.")
}

func runVersion(_ context.Context, _ []string, stdout, _ io.Writer) error {
	fmt.Fprintln(stdout, "shukei", version)
	return nil
}
