package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// errNoServer means no server runs on the data directory: the command
// opens the store itself.
var errNoServer = errors.New("no server runs on this -data")

// localClient calls the local administration endpoint of the server
// running on a data directory.
type localClient struct {
	info localInfo
	http *http.Client
}

// findServer returns the client of the server running on data, or
// errNoServer when none does (no file, or a file left by a server that was
// killed: nothing answers at its address).
func findServer(data string) (*localClient, error) {
	b, err := os.ReadFile(filepath.Join(data, localAdminFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoServer
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", localAdminFile, err)
	}
	var info localInfo
	if err := json.Unmarshal(b, &info); err != nil || info.URL == "" || info.Token == "" {
		return nil, fmt.Errorf("%s is damaged; remove it if no server runs on this -data", localAdminFile)
	}
	return &localClient{info: info, http: &http.Client{Timeout: 10 * time.Minute}}, nil
}

// call posts req as JSON to /local/<name> and decodes the answer into
// resp. A server that is not there (its file outlived it) is errNoServer;
// a refusal is the server's message.
func (l *localClient) call(ctx context.Context, name string, req, resp any) error {
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, l.info.URL+"/local/"+name, bytes.NewReader(body))
	if err != nil {
		return err
	}
	r.Header.Set("Authorization", "Bearer "+l.info.Token)
	r.Header.Set("Content-Type", "application/json")
	res, err := l.http.Do(r)
	if errors.Is(err, syscall.ECONNREFUSED) {
		return errNoServer
	}
	if err != nil {
		return fmt.Errorf("ask the server at %s: %w", l.info.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("ask the server at %s: %w", l.info.URL, err)
	}
	if res.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			return fmt.Errorf("the server refused: %s", e.Error)
		}
		return fmt.Errorf("the server answered %s", res.Status)
	}
	return json.Unmarshal(b, resp)
}

// viaServer runs a command through the server running on data, if any:
// it returns errNoServer when there is none, and the command then opens
// the store itself.
func viaServer(ctx context.Context, data, name string, req, resp any) error {
	l, err := findServer(data)
	if err != nil {
		return err
	}
	return l.call(ctx, name, req, resp)
}
