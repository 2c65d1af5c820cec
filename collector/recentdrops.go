package collector

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/shukei-analytics/shukei/site"
)

// recentDropsPerSite is how many deliberate drops are remembered per site:
// enough for the person installing the snippet to see why their test hit
// did not count, too few to tell anything about visitors.
const recentDropsPerSite = 5

// recentDrops remembers, per counted site, when the last few hits were
// deliberately dropped and why (a bot, a host not allowed, spam): the
// dashboard's installation check shows them. Only the time and the fixed
// reason are kept: no path, address or User-Agent. Sites outside the
// registry are not remembered, so the memory is bounded by the sites.
type recentDrops struct {
	mu     sync.Mutex
	bySite map[string][]droppedHit
}

type droppedHit struct {
	at     time.Time
	reason Drop
}

func (r *recentDrops) add(sites []*site.Site, at time.Time, reason Drop) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.bySite == nil {
		r.bySite = map[string][]droppedHit{}
	}
	for _, s := range sites {
		l := append(r.bySite[s.Domain], droppedHit{at, reason})
		if len(l) > recentDropsPerSite {
			l = append(l[:0], l[len(l)-recentDropsPerSite:]...)
		}
		r.bySite[s.Domain] = l
	}
}

// RecentDrops calls fn for the last hits of the site that were deliberately
// dropped, oldest first, with the reason (a Drop value such as
// "bot_tool"). A node without the ingest role has none.
func (c *Collector) RecentDrops(domain string, fn func(at time.Time, reason string)) {
	if c == nil {
		return
	}
	c.drops.mu.Lock()
	l := append([]droppedHit(nil), c.drops.bySite[domain]...)
	c.drops.mu.Unlock()
	for _, d := range l {
		fn(d.at, string(d.reason))
	}
}

// noteDrop makes a deliberately dropped hit visible to the person testing
// an installation, who otherwise sees only a 202: a debug log line and the
// site's recent drops (RecentDrops). Neither names the page, the address
// or the User-Agent.
func (c *Collector) noteDrop(req *Request, drop Drop) {
	var buf [maxDomains]*site.Site
	sites, err := c.pipeline.sites(req.Payload.Domain, buf[:0])
	if err != nil {
		return
	}
	c.drops.add(sites, c.cfg.Now(), drop)
	if c.log.Enabled(context.Background(), slog.LevelDebug) {
		for _, s := range sites {
			c.log.Debug("hit dropped", "site", s.Domain, "reason", string(drop))
		}
	}
}
