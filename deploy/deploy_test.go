// Package deploy holds the deployment files that docs/deploy.md shows
// (Prometheus rules and configuration, the Grafana dashboard, the
// cluster's load balancer, the systemd unit); this test checks them with
// the real tools where there are some and against the metrics the code
// exports.
package deploy

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io/fs"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// tool finds a program of Debian's packages (scripts/deploy-tools.sh
// installs them); CI must have it.
func tool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/bin"} {
		if p := filepath.Join(dir, name); fileExists(p) {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing: scripts/deps.sh installs it (scripts/deploy-tools.sh)", name)
	}
	t.Skipf("%s is missing: run scripts/deploy-tools.sh", name)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestAlertRules(t *testing.T) {
	promtool := tool(t, "promtool")
	for _, args := range [][]string{
		{"check", "rules", "shukei-alerts.yml"},
		{"check", "config", "prometheus.yml"},
		{"test", "rules", "shukei-alerts.test.yml"},
	} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = "prometheus"
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	rules, err := os.ReadFile("prometheus/shukei-alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	checkMetrics(t, "shukei-alerts.yml", string(rules))
}

// dashboard is the schema of the Grafana dashboard: the fields it may
// have (the decoder refuses others) and, checked below, what they must
// hold.
type dashboard struct {
	UID           string   `json:"uid"`
	Title         string   `json:"title"`
	Description   string   `json:"description"`
	Tags          []string `json:"tags"`
	Timezone      string   `json:"timezone"`
	SchemaVersion int      `json:"schemaVersion"`
	Version       int      `json:"version"`
	Editable      bool     `json:"editable"`
	Refresh       string   `json:"refresh"`
	Time          struct{ From, To string }
	Templating    struct{ List []variable }
	Annotations   struct{ List []json.RawMessage }
	Panels        []panel `json:"panels"`
}

type variable struct {
	Name       string          `json:"name"`
	Label      string          `json:"label"`
	Type       string          `json:"type"`
	Query      json.RawMessage `json:"query"`
	Definition string          `json:"definition"`
	Datasource *datasource     `json:"datasource"`
	IncludeAll bool            `json:"includeAll"`
	Multi      bool            `json:"multi"`
	Current    json.RawMessage `json:"current"`
	Refresh    int             `json:"refresh"`
	Hide       int             `json:"hide"`
}

type datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type panel struct {
	ID          int        `json:"id"`
	Type        string     `json:"type"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Datasource  datasource `json:"datasource"`
	GridPos     struct{ X, Y, W, H int }
	FieldConfig json.RawMessage `json:"fieldConfig"`
	Options     json.RawMessage `json:"options"`
	Targets     []struct {
		RefID        string     `json:"refId"`
		Datasource   datasource `json:"datasource"`
		Expr         string     `json:"expr"`
		LegendFormat string     `json:"legendFormat"`
	} `json:"targets"`
}

func TestGrafanaDashboard(t *testing.T) {
	b, err := os.ReadFile("grafana/shukei.json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var d dashboard
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("grafana/shukei.json: %v", err)
	}
	if d.UID == "" || d.Title == "" || d.SchemaVersion < 36 {
		t.Errorf("uid %q, title %q, schemaVersion %d: want both set and a schema of Grafana 9 or later", d.UID, d.Title, d.SchemaVersion)
	}
	vars := map[string]variable{}
	for _, v := range d.Templating.List {
		vars[v.Name] = v
	}
	if v := vars["datasource"]; v.Type != "datasource" || string(v.Query) != `"prometheus"` {
		t.Errorf("the dashboard needs a Prometheus data source variable: %+v", v)
	}
	ids := map[int]bool{}
	var exprs []string
	for _, p := range d.Panels {
		if ids[p.ID] || p.ID <= 0 {
			t.Errorf("panel %q: id %d is not unique and positive", p.Title, p.ID)
		}
		ids[p.ID] = true
		if !slices.Contains([]string{"timeseries", "stat"}, p.Type) || p.Title == "" || p.Description == "" {
			t.Errorf("panel %d: type %q, title %q: want a timeseries or stat panel with a title and a description", p.ID, p.Type, p.Title)
		}
		if g := p.GridPos; g.W < 1 || g.H < 1 || g.X < 0 || g.Y < 0 || g.X+g.W > 24 {
			t.Errorf("panel %q: gridPos %+v is outside Grafana's 24 columns", p.Title, g)
		}
		if p.Datasource.UID != "${datasource}" || len(p.Targets) == 0 {
			t.Errorf("panel %q: data source %+v, %d queries: want the variable's and at least one", p.Title, p.Datasource, len(p.Targets))
		}
		for _, q := range p.Targets {
			if q.RefID == "" || q.Expr == "" || q.Datasource.UID != "${datasource}" {
				t.Errorf("panel %q: query %+v", p.Title, q)
			}
			exprs = append(exprs, q.Expr)
		}
	}
	all := strings.Join(exprs, "\n")
	// What the dashboard is for: ingest rate, drops by reason, the log's
	// bytes and pending hits, flush errors and readiness.
	for _, m := range []string{"shukei_hits_accepted_total", "shukei_hits_dropped_total", "shukei_wal_bytes",
		"shukei_wal_pending_records", "shukei_flush_errors_total", "shukei_store_failing", "up{"} {
		if !strings.Contains(all, m) {
			t.Errorf("no panel shows %s", m)
		}
	}
	checkMetrics(t, "grafana/shukei.json", all)
}

var metricName = regexp.MustCompile(`\bshukei_[a-z0-9_]+`)

// checkMetrics fails for a metric named in text that no package
// exports: a renamed metric would leave a rule or a panel silent.
func checkMetrics(t *testing.T, file, text string) {
	t.Helper()
	exported := exportedMetrics(t)
	for _, m := range metricName.FindAllString(text, -1) {
		base := m
		for _, suffix := range []string{"_bucket", "_count", "_sum"} {
			if b, ok := strings.CutSuffix(m, suffix); ok && exported[b] {
				base = b
			}
		}
		if !exported[base] {
			t.Errorf("%s: %s is not a metric of Shukei", file, m)
		}
	}
}

var exportedCache map[string]bool

// exportedMetrics lists the metric names written as string literals in
// the repository's Go code (outside tests).
func exportedMetrics(t *testing.T) map[string]bool {
	t.Helper()
	if exportedCache != nil {
		return exportedCache
	}
	lit := regexp.MustCompile(`"(shukei_[a-z0-9_]+)"`)
	out := map[string]bool{}
	err := filepath.WalkDir("..", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && (e.Name() == "node_modules" || strings.HasPrefix(e.Name(), ".") && e.Name() != "..") {
			return filepath.SkipDir
		}
		if e.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			out[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !out["shukei_hits_accepted_total"] {
		t.Fatal("found no metric names in the code")
	}
	exportedCache = out
	return out
}

// TestNginxConfigs loads the single node's TLS front and the cluster's
// balancer into nginx -t, with a throwaway certificate in place of the
// real one and the balancer's names filled in as scripts/cluster.sh does.
func TestNginxConfigs(t *testing.T) {
	nginx := tool(t, "nginx")
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeCert(t, cert, key)
	tls, err := os.ReadFile("nginx/shukei-tls.conf")
	if err != nil {
		t.Fatal(err)
	}
	site := strings.NewReplacer("/etc/letsencrypt/live/stats.example.org/fullchain.pem", cert,
		"/etc/letsencrypt/live/stats.example.org/privkey.pem", key).Replace(string(tls))
	if site == string(tls) {
		t.Fatal("the certificate paths of nginx/shukei-tls.conf changed: update this test")
	}
	in, err := os.ReadFile("cluster/nginx.conf.in")
	if err != nil {
		t.Fatal(err)
	}
	balancer := strings.NewReplacer("@DIR@", dir, "@LISTEN@", "127.0.0.1:18999", "@DASHBOARD@", "127.0.0.1:18998",
		"\n@INGEST@\n", "\n        server 127.0.0.1:18997;\n        server 127.0.0.1:18996;\n").Replace(string(in))
	for name, conf := range map[string]string{
		"nginx/shukei-tls.conf": "pid " + dir + "/tls.pid;\nerror_log " + dir + "/error.log;\nevents {}\nhttp {\n" +
			tempPaths(dir) + site + "\n}\n",
		"cluster/nginx.conf.in": balancer,
	} {
		f := filepath.Join(dir, strings.ReplaceAll(name, "/", "-"))
		if err := os.WriteFile(f, []byte(conf), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(nginx, "-t", "-q", "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", f).CombinedOutput()
		if err != nil {
			t.Errorf("nginx -t %s: %v\n%s", name, err, out)
		}
	}
}

func tempPaths(dir string) string {
	var b strings.Builder
	for _, p := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		b.WriteString(p + "_temp_path " + filepath.Join(dir, "tmp", p) + ";\n")
	}
	return b.String()
}

// TestSystemdUnit checks that the unit starts shukei serve with flags it
// has (each is in the README's flag table), and lets systemd-analyze
// verify it where systemd is installed.
func TestSystemdUnit(t *testing.T) {
	unit, err := os.ReadFile("systemd/shukei.service")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	exec1 := regexp.MustCompile(`(?m)^ExecStart=((?:.*\\\n)*.*)$`).FindSubmatch(unit)
	if exec1 == nil {
		t.Fatal("no ExecStart")
	}
	words := strings.Fields(strings.ReplaceAll(string(exec1[1]), "\\\n", " "))
	if len(words) < 2 || words[1] != "serve" {
		t.Fatalf("ExecStart runs %v, want shukei serve", words)
	}
	for _, w := range words[2:] {
		if strings.HasPrefix(w, "-") && !bytes.Contains(readme, []byte("`"+w+"`")) {
			t.Errorf("ExecStart's %s is not a flag of the README", w)
		}
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("systemd-analyze is missing: the unit's syntax is not verified")
		return
	}
	// verify wants the program to exist: point it at a stand-in.
	dir := t.TempDir()
	bin := filepath.Join(dir, "shukei")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "shukei.service")
	if err := os.WriteFile(f, bytes.ReplaceAll(unit, []byte("/usr/local/bin/shukei"), []byte(bin)), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", f).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// writeCert writes a throwaway self-signed certificate and its key.
func writeCert(t *testing.T, certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "stats.example.org"},
		DNSNames: []string{"stats.example.org"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestHAProxyConfig checks the HAProxy alternative to the cluster's
// balancer with haproxy -c.
func TestHAProxyConfig(t *testing.T) {
	haproxy := tool(t, "haproxy")
	in, err := os.ReadFile("cluster/haproxy.cfg.in")
	if err != nil {
		t.Fatal(err)
	}
	conf := strings.NewReplacer("@LISTEN@", "127.0.0.1:18999", "@DASHBOARD@", "127.0.0.1:18998",
		"\n@INGEST@\n", "\n    server ingest1 127.0.0.1:18997 check\n    server ingest2 127.0.0.1:18996 check\n").Replace(string(in))
	f := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(f, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(haproxy, "-c", "-f", f).CombinedOutput(); err != nil {
		t.Errorf("haproxy -c: %v\n%s", err, out)
	}
}
