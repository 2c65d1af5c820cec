package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/dashboard/public"
	"github.com/shukei-analytics/shukei/route"
	"github.com/shukei-analytics/shukei/site"
)

// The local administration endpoint lets the shukei commands run on the
// server's machine (publish, notice, purge, import) work while the server
// runs: they ask the server, which holds the store (an embedded DuckDB file
// admits one process) and knows every site's configuration, instead of
// opening the store themselves. A running server writes where it answers
// and a token made for this run into -data/local-admin.json (mode 0600,
// readable only by the server's user); a request must carry that token as
// its bearer token and come straight from this machine (no proxy), so the
// endpoint is closed to anyone who cannot read the data directory.

// localAdminFile is the endpoint's address and token under -data.
const localAdminFile = "local-admin.json"

// localInfo is the content of localAdminFile.
type localInfo struct {
	URL   string `json:"url"`
	Token string `json:"token"`
}

// localAdmin is the server's side: the file, the token, the guard of
// route.Local, and the routes the commands registered.
type localAdmin struct {
	data   string
	addr   func() net.Addr
	token  string
	routes []route.Route
}

func newLocalAdmin(data string, addr func() net.Addr) (*localAdmin, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	return &localAdmin{data: data, addr: addr, token: base64.RawURLEncoding.EncodeToString(b)}, nil
}

// handle adds a command's endpoint: POST /local/<name>.
func (l *localAdmin) handle(name string, h fiber.Handler) {
	l.routes = append(l.routes, route.Route{Method: fiber.MethodPost, Path: "/local/" + name, Access: route.Local, Handler: h})
}

func (l *localAdmin) part() part {
	return part{name: "local administration", start: l.start, stop: l.stop, routes: func() []route.Route { return l.routes }}
}

// start writes the file the commands read: the server's loopback address
// and this run's token.
func (l *localAdmin) start(context.Context) error {
	b, err := json.Marshal(localInfo{URL: "http://" + localDialAddr(l.addr()), Token: l.token})
	if err != nil {
		return err
	}
	path := filepath.Join(l.data, localAdminFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("local administration: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return errors.Join(fmt.Errorf("local administration: %w", err), os.Remove(tmp))
	}
	return nil
}

// stop removes the file: the commands then open the store themselves.
func (l *localAdmin) stop(context.Context) error {
	err := os.Remove(filepath.Join(l.data, localAdminFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// For is the guard of route.Local (route.Checker): this run's token, and
// a connection from this machine that no proxy forwarded.
func (l *localAdmin) For(a route.Access) fiber.Handler {
	if a != route.Local {
		return nil
	}
	return func(c *fiber.Ctx) error {
		token, ok := route.BearerToken(c)
		if !ok || !route.SameToken(l.token, token) || !fromThisMachine(c) {
			return c.Status(fiber.StatusUnauthorized).JSON(fiber.Map{"error": "the local administration endpoint takes the token in " + localAdminFile + ", from this machine"})
		}
		return c.Next()
	}
}

// fromThisMachine reports whether a request came from this machine itself
// (a loopback address, or the very address it reached) and carries no
// forwarding header: a proxy on this machine forwarding a remote client's
// request is not the machine's own request.
func fromThisMachine(c *fiber.Ctx) bool {
	h := &c.Request().Header
	for _, name := range []string{fiber.HeaderXForwardedFor, "Forwarded", "X-Real-Ip", fiber.HeaderXForwardedHost} {
		if len(h.Peek(name)) > 0 {
			return false
		}
	}
	remote, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return false
	}
	remote = remote.Unmap()
	if remote.IsLoopback() {
		return true
	}
	local, ok := c.Context().LocalAddr().(*net.TCPAddr)
	return ok && local.IP.Equal(remote.AsSlice())
}

// localDialAddr is where a command on this machine reaches a server
// listening on addr: the loopback address when it listens on every
// address.
func localDialAddr(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return addr.String()
	}
	ip := tcp.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1) // a wildcard listener takes IPv4 too
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port))
}

// localCommands are what the commands' endpoints use of a running server.
type localCommands struct {
	store   backend
	sites   *site.Registry
	archive string
	now     func() time.Time
	log     *slog.Logger
	notices func(publicURL string) public.NoticeConfig
	// collector and trusted are the pipeline settings imports use.
	collector collector.Config
	trusted   []netip.Prefix
	// logs is the running collector's write-ahead log, emptied before a
	// purge (nil without the ingest role).
	logs logClearer
}

// logClearer stores the logged hits and deletes them from the log.
type logClearer interface {
	ClearLog(ctx context.Context) error
}

// register adds the commands' endpoints to l.
func (lc *localCommands) register(l *localAdmin) {
	l.handle("publish", lc.publish)
	l.handle("notice", lc.notice)
	l.handle("purge", lc.purge)
	l.handle("import", lc.importLogs)
}

// localFail answers a command's request that cannot be done, with the
// reason, which the command prints.
func localFail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
}
