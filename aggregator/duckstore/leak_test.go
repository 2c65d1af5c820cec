package duckstore

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when a goroutine outlives them (a
// store left open keeps database/sql's connection goroutines).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
