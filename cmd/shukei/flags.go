package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// errUsage reports a command-line mistake already explained to the user.
var errUsage = errors.New("usage")

// listFlag is a repeatable flag that also accepts comma-separated values.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for part := range strings.SplitSeq(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// parseFlags parses args, then applies SHUKEI_<FLAG> environment variables,
// which override the command line (so a deployment can change one setting
// without editing the command). A list flag takes the variable's
// comma-separated values instead of the command line's.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	rest, err := parseFlagsArgs(fs, args, stderr)
	if err == nil && len(rest) > 0 {
		fmt.Fprintf(stderr, "unexpected argument %q\n", rest[0])
		return errUsage
	}
	return err
}

// parseFlagsArgs is parseFlags for a command that also takes arguments
// (files): they may come before, between or after the flags.
func parseFlagsArgs(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, error) {
	fs.SetOutput(stderr)
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		v, ok := os.LookupEnv(envName(f.Name))
		if !ok || err != nil {
			return
		}
		if l, isList := f.Value.(*listFlag); isList {
			*l = nil
		}
		if e := f.Value.Set(v); e != nil {
			err = fmt.Errorf("%s: %w", envName(f.Name), e)
		}
	})
	return rest, err
}

// envName is the environment variable for a flag: -api-token → SHUKEI_API_TOKEN.
func envName(flagName string) string {
	return "SHUKEI_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// flagSet returns a flag set for a subcommand that reports errors instead of
// exiting.
func flagSet(command string) *flag.FlagSet {
	return flag.NewFlagSet("shukei "+command, flag.ContinueOnError)
}
