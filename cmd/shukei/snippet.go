package main

import (
	"context"
	"fmt"
	"io"

	"github.com/shukei-analytics/shukei/tracker"
)

// snippetConfig is what `shukei snippet` is configured with.
type snippetConfig struct {
	site          string
	publicURL     string
	respectGPC    bool
	outboundLinks bool
	fileDownloads bool
	hash          bool
	allowLocal    bool
	queue         bool
}

// runSnippet prints the <script> tag a site pastes into its pages.
func runSnippet(_ context.Context, args []string, stdout, stderr io.Writer) error {
	var c snippetConfig
	fs := flagSet("snippet")
	fs.StringVar(&c.site, "site", "", "the site's `domain`, as given to shukei serve -site")
	fs.StringVar(&c.publicURL, "public-url", "http://127.0.0.1:8080", "the Shukei server's base `URL` as visitors' browsers reach it")
	fs.BoolVar(&c.respectGPC, "respect-gpc", false, "send nothing for visitors with Global Privacy Control or Do Not Track on")
	fs.BoolVar(&c.outboundLinks, "outbound-links", false, "count clicks on links to other sites")
	fs.BoolVar(&c.fileDownloads, "file-downloads", false, "count clicks on file downloads")
	fs.BoolVar(&c.hash, "hash", false, "the site routes pages by the URL fragment (#/page)")
	fs.BoolVar(&c.allowLocal, "allow-localhost", false, "also count pages on localhost (for development)")
	fs.BoolVar(&c.queue, "queue", false, "also print the stub that queues shukei(...) calls made before the script loads")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if c.site == "" {
		fmt.Fprintln(stderr, "shukei snippet: -site is required, e.g. shukei snippet -site example.org -public-url https://stats.example.org")
		return errUsage
	}
	tag, err := tracker.Tag(tracker.TagOptions{
		Domain: c.site, PublicURL: c.publicURL, RespectGPC: c.respectGPC, Features: c.features(),
	})
	if err != nil {
		return fmt.Errorf("build the tag: %w", err)
	}
	if c.queue {
		fmt.Fprintln(stdout, tracker.QueueStub)
	}
	fmt.Fprintln(stdout, tag)
	return nil
}

func (c *snippetConfig) features() tracker.Features {
	var f tracker.Features
	for _, opt := range []struct {
		on   bool
		flag tracker.Features
	}{
		{c.outboundLinks, tracker.OutboundLinks}, {c.fileDownloads, tracker.FileDownloads},
		{c.hash, tracker.Hash}, {c.allowLocal, tracker.Local},
	} {
		if opt.on {
			f |= opt.flag
		}
	}
	return f
}
