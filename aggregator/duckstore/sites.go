package duckstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/shukei-analytics/shukei/event"
)

// noSite is an id no site has: a query for an unknown site matches no row.
const noSite uint32 = 0

// siteIDs caches the ids of the sites table. Ids never change once
// committed, so entries never go stale.
type siteIDs struct {
	mu  sync.RWMutex
	ids map[string]uint32
}

func (c *siteIDs) cached(name string) (uint32, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id, ok := c.ids[name]
	return id, ok
}

func (c *siteIDs) add(ids map[string]uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids == nil {
		c.ids = make(map[string]uint32, len(ids))
	}
	for name, id := range ids {
		c.ids[name] = id
	}
}

// siteID returns the site's id, or noSite for a site without rows.
func (s *Store) siteID(ctx context.Context, name string) (uint32, error) {
	if id, ok := s.sites.cached(name); ok {
		return id, nil
	}
	var id uint32
	err := s.db.QueryRowContext(ctx, fixed("site_lookup"), name).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return noSite, nil
	case err != nil:
		return 0, fmt.Errorf("site id: %w", err)
	}
	s.sites.add(map[string]uint32{name: id})
	return id, nil
}

// ensureSites returns the id of every site in rows, inserting the new ones
// in the caller's transaction on conn. The caller adds them to the cache
// once the transaction commits.
func (s *Store) ensureSites(ctx context.Context, conn *sql.Conn, rows []event.Row) (map[string]uint32, error) {
	ids := map[string]uint32{}
	for i := range rows {
		name := rows[i].Site
		if _, ok := ids[name]; ok {
			continue
		}
		if id, ok := s.sites.cached(name); ok {
			ids[name] = id
			continue
		}
		var id uint32
		err := conn.QueryRowContext(ctx, fixed("site_lookup"), name).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			err = conn.QueryRowContext(ctx, fixed("site_insert"), name).Scan(&id)
		}
		if err != nil {
			return nil, fmt.Errorf("site id: %w", err)
		}
		ids[name] = id
	}
	return ids, nil
}
