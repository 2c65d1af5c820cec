package admin

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestGoals(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a, err := s.CreateGoal(ctx, &GoalRecord{Domain: "a.org", EventName: "Signup", DisplayName: "Signup", CreatedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateGoal(ctx, &GoalRecord{Domain: "a.org", PagePath: "/docs/*", DisplayName: "Visit /docs/*", CreatedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateGoal(ctx, &GoalRecord{Domain: "b.org", EventName: "Signup", DisplayName: "Signup", CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateGoal(ctx, &GoalRecord{Domain: "a.org", EventName: "Other", DisplayName: "Signup", CreatedAt: at}); !errors.Is(err, ErrExists) {
		t.Errorf("a second goal named Signup: %v", err)
	}
	goals, err := s.Goals(ctx)
	if err != nil || len(goals) != 3 || goals[0].ID != a || goals[1].ID != b || goals[1].PagePath != "/docs/*" || goals[2].Domain != "b.org" {
		t.Fatalf("goals %+v %v", goals, err)
	}
	if err := s.DeleteGoal(ctx, "b.org", a); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting another site's goal: %v", err)
	}
	if err := s.DeleteGoal(ctx, "a.org", a); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSite(ctx, "a.org"); err != nil {
		t.Fatal(err)
	}
	if goals, _ := s.Goals(ctx); len(goals) != 1 || goals[0].Domain != "b.org" {
		t.Errorf("after deleting a.org: %+v", goals)
	}
}
