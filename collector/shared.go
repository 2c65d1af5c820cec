package collector

import (
	"fmt"

	"github.com/shukei-analytics/shukei/collector/geo"
	"github.com/shukei-analytics/shukei/collector/referrer"
	"github.com/shukei-analytics/shukei/collector/useragent"
	"github.com/shukei-analytics/shukei/collector/visitor"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/site"
	"github.com/shukei-analytics/shukei/urlscrub"
)

// What the live collector shares with other ways in (the access-log
// import): the pipeline built from the same configuration, the payload
// limits, and the row merging of the write-ahead log's batches. There is
// one pipeline; an importer drives it with its own visitor tracker.

// NewPipeline builds the privacy pipeline of cfg (address truncation and
// trusted proxies, spam list, scrubbing, GeoIP) around tracker, without
// rate limits. The returned close releases the GeoIP database. cfg's
// write-ahead log and admission settings are not used.
func NewPipeline(config *Config, sites *site.Registry, tracker *visitor.Tracker) (*Pipeline, func() error, error) {
	cfg := *config
	cfg.EnsureDefaults()
	ips := cfg.Resolver
	if ips == nil {
		var err error
		ips, err = ipaddr.NewResolver(ipaddr.Config{V4Bits: cfg.IPv4Bits, V6Bits: cfg.IPv6Bits,
			TrustedProxies: cfg.TrustedProxies, ClientHeader: cfg.ClientHeader})
		if err != nil {
			return nil, nil, fmt.Errorf("collector: %w", err)
		}
	}
	spam, err := referrer.LoadSpamList(cfg.SpamListPath)
	if err != nil {
		return nil, nil, fmt.Errorf("collector: %w", err)
	}
	scrub := urlscrub.DefaultOptions()
	if len(cfg.SearchParams) > 0 {
		scrub.SearchParams = cfg.SearchParams
	}
	p := &Pipeline{
		Sites: sites, IPs: ips, Agents: useragent.New(useragentCacheSize), Spam: spam,
		Scrub: *scrub, Tracker: tracker, Now: cfg.Now, WithCity: cfg.GeoIPCity,
		PropValues: NewPropValues(cfg.PropValuesPerDay),
	}
	closeGeo := func() error { return nil }
	if cfg.GeoIPPath != "" {
		db, err := geo.Open(cfg.GeoIPPath, cfg.GeoIPCity)
		if err != nil {
			return nil, nil, fmt.Errorf("collector: %w", err)
		}
		p.Geo, closeGeo = db, db.Close
	}
	return p, closeGeo, nil
}

// Check applies the limits every hit is held to (docs/api.md) to a
// payload built by the caller rather than decoded from a request body.
func (p *Payload) Check() error { return p.checkRequired() }

// RowBatch merges rows as the write-ahead log's applier does before a
// store append: rows of the same minute and dimensions become one row
// whose counters are the sums.
type RowBatch struct{ b *batch }

// NewRowBatch returns an empty batch sized for about n rows.
func NewRowBatch(n int) *RowBatch { return &RowBatch{b: newBatch(n)} }

// Add merges rows into the batch; it keeps copies, not rows itself.
func (r *RowBatch) Add(rows []event.Row) { r.b.add(rows) }

// Rows returns the merged rows; valid until the next Add or Reset.
func (r *RowBatch) Rows() []event.Row { return r.b.rows }

// Len is the number of merged rows.
func (r *RowBatch) Len() int { return len(r.b.rows) }

// Reset empties the batch for reuse.
func (r *RowBatch) Reset() { r.b.reset() }
