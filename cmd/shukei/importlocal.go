package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/collector/accesslog"
	"github.com/shukei-analytics/shukei/collector/logimport"
	"github.com/shukei-analytics/shukei/route"
)

// An import while a server runs on -data is done by the server: the
// command hands it the files' paths and import's own flags, and the server
// reads the files and sends them through the same importer as an offline
// import, with its own pipeline settings and its configuration of the
// site (as the live hits are counted), into the store it holds. The
// positions stored per file are the same, so an import through the
// server and one without it continue each other.

// importRequest asks a running server to import access logs it reads
// itself.
type importRequest struct {
	Site string `json:"site"`
	// Files are absolute paths on the server's machine.
	Files     []string `json:"files"`
	Format    string   `json:"format,omitempty"`
	LogZone   string   `json:"log_timezone,omitempty"`
	Excludes  []string `json:"exclude,omitempty"`
	Hostnames []string `json:"hostname,omitempty"`
	DryRun    bool     `json:"dry_run,omitempty"`
}

// importAnswer is the import's summary as the command prints it, and the
// error that ended it, if any.
type importAnswer struct {
	Summary string `json:"summary"`
	Error   string `json:"error,omitempty"`
}

// importViaServer hands the import to the server running on -data, if
// any: it returns errNoServer when none does.
func importViaServer(ctx context.Context, cfg *serveConfig, own *importFlags, domain string, files []string, stdout, stderr io.Writer) error {
	server, err := findServer(cfg.store.data)
	if err != nil {
		return err
	}
	switch {
	case own.follow:
		return errors.New("-follow: a server runs on this -data; let it follow the log: shukei serve -follow-log " + domain + "=PATH (docs/import.md)")
	case hasStdin(files):
		return errors.New("a server runs on this -data and reads the logs itself: standard input cannot be handed to it; write the log to a file the server can read (e.g. under /var/log) and import the file, or import with the server stopped")
	}
	req := importRequest{Site: domain, Format: own.format, LogZone: own.logZone, Excludes: own.excludes,
		Hostnames: own.hostnames, DryRun: own.dryRun}
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			return err
		}
		if _, err := os.Stat(abs); err != nil {
			return err
		}
		req.Files = append(req.Files, abs)
	}
	if b, err := json.Marshal(req); err == nil && len(b) > route.MaxRequestBytes {
		return fmt.Errorf("%d files are too many names to hand to the running server at once (%d bytes, at most %d): import them in a few runs, or with the server stopped", len(files), len(b), route.MaxRequestBytes)
	}
	// An import takes as long as the logs are long: no time limit but the
	// command's own (Ctrl-C).
	server.http = &http.Client{}
	fmt.Fprintf(stderr, "importing through the server running on this -data (%s), with its configuration; its log shows the progress\n", server.info.URL)
	var ans importAnswer
	if err := server.call(ctx, "import", req, &ans); err != nil {
		return err
	}
	if _, err := io.WriteString(stdout, ans.Summary); err != nil {
		return err
	}
	if ans.Error != "" {
		return errors.New(ans.Error)
	}
	return nil
}

func hasStdin(files []string) bool {
	for _, f := range files {
		if f == logimport.Stdin {
			return true
		}
	}
	return false
}

// importLogs is POST /local/import: the server imports the files with its
// own pipeline settings and site configuration into its store.
func (l *localCommands) importLogs(c *fiber.Ctx) error {
	var req importRequest
	if err := c.BodyParser(&req); err != nil || req.Site == "" || len(req.Files) == 0 {
		return localFail(c, fiber.StatusBadRequest, "a site and the files to import are expected")
	}
	st, ok := l.sites.Lookup(req.Site)
	if !ok {
		return localFail(c, fiber.StatusUnprocessableEntity, fmt.Sprintf("unknown site %q: the server counts no such site", req.Site))
	}
	for _, f := range req.Files {
		if !filepath.IsAbs(f) {
			return localFail(c, fiber.StatusBadRequest, fmt.Sprintf("%q: the server takes absolute paths", f))
		}
		// The command could read the file; the server may not see it.
		if fh, err := os.Open(f); err != nil {
			return localFail(c, fiber.StatusUnprocessableEntity, fmt.Sprintf("the server cannot read %s (%v): it opens the logs itself, as its own user and with its own view of the file system "+
				"(a systemd unit with PrivateTmp or ProtectHome hides /tmp and /home from it); put the logs where it can read them, such as /var/log, or import with the server stopped", f, errors.Unwrap(err)))
		} else {
			fh.Close()
		}
	}
	own := importFlags{format: req.Format, logZone: req.LogZone, excludes: req.Excludes, hostnames: req.Hostnames, dryRun: req.DryRun}
	if own.format == "" {
		own.format = accesslog.Auto
	}
	icfg, err := own.configWith(l.collector, l.trusted)
	if err != nil {
		return localFail(c, fiber.StatusUnprocessableEntity, err.Error())
	}
	icfg.Site, icfg.Now = st, l.now
	var sink collector.Sink = l.store
	im, err := logimport.New(icfg, sink, l.log)
	if err != nil {
		return localFail(c, fiber.StatusUnprocessableEntity, err.Error())
	}
	l.log.Info("importing access logs for a local command", "site", st.Domain, "files", len(req.Files), "dry_run", req.DryRun)
	stopProgress := showProgress(im, io.Discard, false, l.log)
	sum, err := im.Run(c.UserContext(), req.Files)
	stopProgress()
	err = errors.Join(err, im.Close())
	var ans importAnswer
	if sum != nil {
		var b strings.Builder
		sum.Write(&b, req.DryRun)
		ans.Summary = b.String()
	}
	if err != nil {
		ans.Error = err.Error()
	}
	return c.JSON(ans)
}
