package admin

import (
	"context"
	"fmt"
	"time"
)

// GoalRecord is a stored goal of a site (see site.Goal).
type GoalRecord struct {
	ID          int64
	Domain      string
	EventName   string
	PagePath    string
	DisplayName string
	CreatedAt   time.Time
}

// Goals lists every stored goal, by site and then in the order they were
// added.
func (s *Store) Goals(ctx context.Context) ([]GoalRecord, error) {
	rows, err := s.db.QueryContext(ctx, fixed("Goals"))
	if err != nil {
		return nil, fmt.Errorf("admin: goals: %w", err)
	}
	defer rows.Close()
	var out []GoalRecord
	for rows.Next() {
		var r GoalRecord
		if err := rows.Scan(&r.ID, &r.Domain, &r.EventName, &r.PagePath, &r.DisplayName, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("admin: goals: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateGoal stores a goal and returns its id; ErrExists when the site
// has a goal of that display name.
func (s *Store) CreateGoal(ctx context.Context, r *GoalRecord) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var id int64
	err := s.db.QueryRowContext(ctx, fixed("CreateGoal"), r.Domain, r.EventName, r.PagePath, r.DisplayName, r.CreatedAt.UTC()).Scan(&id)
	switch {
	case isConstraint(err):
		return 0, ErrExists
	case err != nil:
		return 0, fmt.Errorf("admin: create goal: %w", err)
	}
	return id, nil
}

// DeleteGoal removes a site's goal; ErrNotFound when it has none of that id.
func (s *Store) DeleteGoal(ctx context.Context, domain string, id int64) error {
	n, err := s.exec(ctx, "DeleteGoal", domain, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
