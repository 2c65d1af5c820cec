package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// tokenFile is where a generated Stats API token is kept under -data.
const tokenFile = "api-token"

// loadToken returns the Stats API token: -api-token, else -api-token-file,
// else the token stored under -data, else a new one, stored (mode 0600) and
// printed once so the operator can copy it.
func loadToken(cfg *serveConfig, stdout io.Writer) (string, error) {
	if cfg.apiToken != "" {
		return checkToken(cfg.apiToken, "-api-token")
	}
	if cfg.apiTokenFile != "" {
		b, err := os.ReadFile(cfg.apiTokenFile)
		if err != nil {
			return "", fmt.Errorf("-api-token-file: %w", err)
		}
		return checkToken(strings.TrimSpace(string(b)), "-api-token-file")
	}
	path := filepath.Join(cfg.store.data, tokenFile)
	b, err := os.ReadFile(path)
	if err == nil {
		return checkToken(strings.TrimSpace(string(b)), path)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read API token: %w", err)
	}
	if err := privateDataDir(cfg.store.data); err != nil {
		return "", err
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("store API token: %w", err)
	}
	fmt.Fprintf(stdout, "Stats API token (shown once; kept in %s):\n\n    %s\n\n", path, token)
	return token, nil
}

func checkToken(token, from string) (string, error) {
	if len(token) < 16 {
		return "", fmt.Errorf("%s: the API token must be at least 16 characters", from)
	}
	return token, nil
}
