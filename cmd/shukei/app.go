package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/route"
)

// The composition root. Each role hands the app its routes (route.Route
// values) and its lifecycle; the app starts the roles in order, checks
// and mounts every route behind one guard, serves them on one listener,
// and stops everything in reverse. When a start fails, what already
// started is stopped again in reverse, so a failed start leaves no lock,
// goroutine, open file or connection behind.

// part is one started thing of a server: a role, or a resource the roles
// share (the store). start and stop may be nil; routes is read once every
// part has started.
type part struct {
	name   string
	start  func(ctx context.Context) error
	stop   func(ctx context.Context) error
	routes func() []route.Route
}

// role is what a role package offers the app.
type role interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Routes() []route.Route
}

// roleOf makes a part of a role.
func roleOf(name string, r role) part {
	return part{name: name, start: r.Start, stop: r.Stop, routes: r.Routes}
}

// app is a server's parts and its HTTP front.
type app struct {
	log     *slog.Logger
	http    httpConfig
	parts   []part
	started []part
	// checkers enforce the routes' access levels (route.Checker): the
	// dashboard's when it runs, and the app's own for the local endpoint.
	checkers []route.Checker
	// pages answers errors and unknown paths: the dashboard's HTML and
	// JSON pages when it runs, JSON otherwise.
	pages  errorPages
	table  []route.Route
	server *httpServer
	// addr is where the server listens, once start has listened.
	addr net.Addr
}

// errorPages answer errors and paths no route serves.
type errorPages struct {
	errors   fiber.ErrorHandler
	notFound fiber.Handler
}

// start listens on ln (on the configured address when ln is nil), starts
// the parts in order, mounts their routes, and serves. Listening comes
// first, so a taken address fails before anything opens, and the parts
// know where the server answers (addr). On failure it stops what it
// started, in reverse, and returns the start's error joined with theirs.
func (a *app) start(ctx context.Context, ln net.Listener) (err error) {
	if ln == nil {
		if ln, err = net.Listen("tcp", a.http.Listen); err != nil {
			return errors.Join(fmt.Errorf("listen on %s: %w", a.http.Listen, err), a.stopStarted(context.WithoutCancel(ctx)))
		}
	}
	a.addr = ln.Addr()
	defer func() {
		if err != nil {
			_ = ln.Close()
			err = errors.Join(err, a.stopStarted(context.WithoutCancel(ctx)))
		}
	}()
	for _, p := range a.parts {
		if p.start != nil {
			if err := p.start(ctx); err != nil {
				return fmt.Errorf("start %s: %w", p.name, err)
			}
		}
		a.started = append(a.started, p)
	}
	a.table = nil
	for _, p := range a.parts {
		if p.routes != nil {
			a.table = append(a.table, p.routes()...)
		}
	}
	app := newFiber(a.http, a.pages, a.table)
	if err := route.Mount(app, a.table, a.checkers...); err != nil {
		return fmt.Errorf("route table: %w", err)
	}
	app.Use(a.pages.notFound)
	a.server = newHTTPServer(app, a.http, a.log)
	a.server.serve(ln)
	return nil
}

// stop stops serving (requests in progress get at most half the time
// left, so that slow clients cannot take the time the roles need to
// store what they hold), then the parts in reverse order.
func (a *app) stop(ctx context.Context) error {
	var err error
	if a.server != nil {
		srvCtx, cancel := shareOfDeadline(ctx, 2)
		err = a.server.stop(srvCtx)
		cancel()
	}
	return errors.Join(err, a.stopStarted(ctx))
}

// stopStarted stops the started parts in reverse, each once.
func (a *app) stopStarted(ctx context.Context) error {
	var errs []error
	for _, p := range slices.Backward(a.started) {
		if p.stop != nil {
			if err := p.stop(ctx); err != nil {
				errs = append(errs, fmt.Errorf("stop %s: %w", p.name, err))
			}
		}
	}
	a.started = nil
	return errors.Join(errs...)
}

// served returns the result of serving once the server has stopped: nil
// after stop, the error that ended serving otherwise.
func (a *app) served() <-chan error { return a.server.done }

// routes returns the mounted route table.
func (a *app) routes() []route.Route { return a.table }
