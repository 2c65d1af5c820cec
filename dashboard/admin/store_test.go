package admin

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), Config{Path: filepath.Join(t.TempDir(), FileName)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestUsers(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if n, _ := s.CountUsers(ctx); n != 0 {
		t.Fatalf("fresh store has %d users", n)
	}
	owner := &User{Username: "tanaka", PasswordHash: "h1", CreatedAt: t0}
	if err := s.CreateFirstOwner(ctx, owner); err != nil || owner.ID == 0 || !owner.InstanceOwner {
		t.Fatalf("first owner: %v %+v", err, owner)
	}
	if err := s.CreateFirstOwner(ctx, &User{Username: "mallory", PasswordHash: "h", CreatedAt: t0}); !errors.Is(err, ErrExists) {
		t.Errorf("second first owner: %v, want ErrExists", err)
	}
	viewer := &User{Username: "suzuki", PasswordHash: "h2", MustChangePassword: true, CreatedAt: t0}
	if err := s.CreateUser(ctx, viewer); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, &User{Username: "suzuki", PasswordHash: "x", CreatedAt: t0}); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate name: %v", err)
	}
	got, err := s.UserByName(ctx, "suzuki")
	if err != nil || got.ID != viewer.ID || !got.MustChangePassword || got.InstanceOwner || !got.CreatedAt.Equal(t0) {
		t.Errorf("by name: %v %+v", err, got)
	}
	if _, err := s.UserByName(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown: %v", err)
	}
	if err := s.SetPassword(ctx, viewer.ID, "h3", false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, 999, "h3", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("set password of unknown: %v", err)
	}
	got, _ = s.UserByID(ctx, viewer.ID)
	if got.PasswordHash != "h3" || got.MustChangePassword {
		t.Errorf("after SetPassword: %+v", got)
	}
	users, _ := s.Users(ctx)
	if len(users) != 2 || users[0].Username != "suzuki" || users[1].Username != "tanaka" {
		t.Errorf("users: %+v", users)
	}
	if n, _ := s.CountInstanceOwners(ctx); n != 1 {
		t.Errorf("owners %d", n)
	}
}

func TestTOTPStepClaimIsAtomic(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	u := &User{Username: "tanaka", PasswordHash: "h", CreatedAt: t0}
	_ = s.CreateUser(ctx, u)
	if err := s.SetTOTP(ctx, u.ID, "JBSWY3DPEHPK3PXP"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Go(func() {
			ok, err := s.ClaimTOTPStep(ctx, u.ID, 1000)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d concurrent claims of one step succeeded, want 1", wins)
	}
	if ok, _ := s.ClaimTOTPStep(ctx, u.ID, 999); ok {
		t.Error("an earlier step was claimed after a later one")
	}
	if ok, _ := s.ClaimTOTPStep(ctx, u.ID, 1001); !ok {
		t.Error("a later step was refused")
	}
	// Turning TOTP off and on again starts afresh.
	_ = s.SetTOTP(ctx, u.ID, "")
	got, _ := s.UserByID(ctx, u.ID)
	if got.TOTPEnabled() || got.TOTPLastStep != 0 {
		t.Errorf("after disabling: %+v", got)
	}
}

func TestRecoveryCodesAreSingleUse(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	u := &User{Username: "tanaka", PasswordHash: "h", CreatedAt: t0}
	_ = s.CreateUser(ctx, u)
	if err := s.ReplaceRecoveryCodes(ctx, u.ID, []string{"a", "b", "c"}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.UseRecoveryCode(ctx, u.ID, "b"); !ok {
		t.Error("code b refused")
	}
	if ok, _ := s.UseRecoveryCode(ctx, u.ID, "b"); ok {
		t.Error("code b accepted twice")
	}
	if n, _ := s.CountRecoveryCodes(ctx, u.ID); n != 2 {
		t.Errorf("%d codes left", n)
	}
	_ = s.ReplaceRecoveryCodes(ctx, u.ID, []string{"d"})
	if ok, _ := s.UseRecoveryCode(ctx, u.ID, "a"); ok {
		t.Error("an old code survived replacement")
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := &Session{IDHash: "h1", UserID: 1, CSRF: "c1", Stage: StageSignedIn, CreatedAt: t0, LastSeen: t0}
	b := &Session{IDHash: "h2", UserID: 1, CSRF: "c2", Stage: StageSignedIn, CreatedAt: t0, LastSeen: t0.Add(time.Hour)}
	c := &Session{IDHash: "h3", UserID: 2, CSRF: "c3", Stage: StageSecondFactor, CreatedAt: t0.Add(-48 * time.Hour), LastSeen: t0.Add(time.Hour)}
	for _, ss := range []*Session{a, b, c} {
		if err := s.CreateSession(ctx, ss); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.SessionByHash(ctx, "h3")
	if err != nil || got.Stage != StageSecondFactor || got.CSRF != "c3" || !got.CreatedAt.Equal(c.CreatedAt) {
		t.Errorf("session: %v %+v", err, got)
	}
	_ = s.TouchSession(ctx, "h1", t0.Add(2*time.Hour))
	n, err := s.DeleteExpiredSessions(ctx, t0.Add(90*time.Minute), t0.Add(-24*time.Hour))
	if err != nil || n != 2 { // h2 idle, h3 too old
		t.Errorf("expired: %d %v", n, err)
	}
	if _, err := s.SessionByHash(ctx, "h1"); err != nil {
		t.Errorf("touched session expired: %v", err)
	}
	_ = s.CreateSession(ctx, b)
	_ = s.DeleteUserSessions(ctx, 1, "h2")
	if _, err := s.SessionByHash(ctx, "h1"); !errors.Is(err, ErrNotFound) {
		t.Error("other session survived DeleteUserSessions")
	}
	if _, err := s.SessionByHash(ctx, "h2"); err != nil {
		t.Error("kept session deleted")
	}
}

func TestTokensSitesAndRoles(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	u := &User{Username: "tanaka", PasswordHash: "h", CreatedAt: t0}
	_ = s.CreateUser(ctx, u)
	all := &Token{UserID: u.ID, Name: "all", Hash: "th1", Hint: "shk_ab", CreatedAt: t0}
	some := &Token{UserID: u.ID, Name: "some", Hash: "th2", Hint: "shk_cd", Sites: []string{"a.example", "b.example"}, CreatedAt: t0.Add(time.Minute)}
	for _, tk := range []*Token{all, some} {
		if err := s.CreateToken(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.TokenByHash(ctx, "th2")
	if err != nil || got.Username != "tanaka" || !slices.Equal(got.Sites, []string{"a.example", "b.example"}) || !got.LastUsed.IsZero() {
		t.Errorf("token: %v %+v", err, got)
	}
	_ = s.TouchToken(ctx, all.ID, t0.Add(time.Hour))
	list, _ := s.Tokens(ctx)
	if len(list) != 2 || list[0].Name != "some" || list[1].Sites != nil || !list[1].LastUsed.Equal(t0.Add(time.Hour)) {
		t.Errorf("tokens: %+v %+v", list[0], list[1])
	}
	if err := s.DeleteToken(ctx, all.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenByHash(ctx, "th1"); !errors.Is(err, ErrNotFound) {
		t.Error("revoked token still found")
	}

	rec := &SiteRecord{Domain: "a.example", Origin: OriginUI, TimeZone: "Asia/Tokyo", AllowedHostnames: []string{"a.example", "www.a.example"},
		RespectGPC: true, Public: true, MinCellSize: 5, Epsilon: 0.5, RoundTo: 10, RetentionMonths: 24, CreatedAt: t0}
	if err := s.PutSite(ctx, rec); err != nil {
		t.Fatal(err)
	}
	rec.TimeZone = "UTC"
	_ = s.PutSite(ctx, rec)
	sites, _ := s.Sites(ctx)
	if len(sites) != 1 || sites[0].TimeZone != "UTC" || len(sites[0].AllowedHostnames) != 2 || sites[0].Epsilon != 0.5 || !sites[0].Public {
		t.Errorf("sites: %+v", sites)
	}
	if err := s.SetRole(ctx, u.ID, "a.example", RoleAdmin); err != nil {
		t.Fatal(err)
	}
	_ = s.SetRole(ctx, u.ID, "a.example", RoleViewer)
	roles, _ := s.RolesOf(ctx, u.ID)
	if roles["a.example"] != RoleViewer || len(roles) != 1 {
		t.Errorf("roles: %v", roles)
	}
	members, _ := s.Members(ctx, "a.example")
	if len(members) != 1 || members[0].Username != "tanaka" {
		t.Errorf("members: %+v", members)
	}
	_ = s.DeleteSite(ctx, "a.example")
	if roles, _ := s.RolesOf(ctx, u.ID); len(roles) != 0 {
		t.Errorf("roles survived the site: %v", roles)
	}
	if err := s.DeleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Tokens(ctx); len(list) != 0 {
		t.Errorf("tokens survived their user: %d", len(list))
	}
}

func TestReopenKeepsState(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(ctx, Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = s.CreateUser(ctx, &User{Username: "tanaka", PasswordHash: "h", CreatedAt: t0})
	_ = s.Close()
	s, err = Open(ctx, Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.CountUsers(ctx); n != 1 {
		t.Errorf("after reopening %d users", n)
	}
}

func TestNormalizeUsername(t *testing.T) {
	for in, want := range map[string]string{
		"Tanaka": "tanaka", " ｔａｎａｋａ ": "tanaka", "Ann.Lee+stats@Example.JP": "ann.lee+stats@example.jp", "山田": "山田",
	} {
		if got, err := NormalizeUsername(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "   ", "a b", "<script>", "x\x00y", "\xff", string(make([]byte, 65))} {
		if _, err := NormalizeUsername(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func FuzzNormalizeUsername(f *testing.F) {
	for _, s := range []string{"tanaka", "ＴＡＮＡＫＡ", "a@b.jp", "<x>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizeUsername(s)
		if err != nil {
			return
		}
		again, err := NormalizeUsername(n)
		if err != nil || again != n {
			t.Fatalf("not idempotent: %q → %q → %q (%v)", s, n, again, err)
		}
	})
}
