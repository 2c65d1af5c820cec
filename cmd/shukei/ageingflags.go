package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/site"
)

// ageingFlags are the ageing policy of the sites named by -site flags
// (sites added in the dashboard have their own; settings saved in the
// dashboard for a flag site take precedence) and the job's schedule.
type ageingFlags struct {
	minute     time.Duration
	hour       time.Duration
	keepDetail bool
	interval   time.Duration
}

func (a *ageingFlags) register(fs *flag.FlagSet) {
	fs.DurationVar(&a.minute, "ageing-minute", site.DefaultMinuteFor, "how long rows keep minute resolution before they are merged to hours (24h to 2160h)")
	fs.DurationVar(&a.hour, "ageing-hour", site.DefaultHourFor, "how long rows keep hour resolution before they are merged to days (at least -ageing-minute)")
	fs.BoolVar(&a.keepDetail, "ageing-keep-detail", false, "keep browser and OS versions, city and screen class on rows merged to days (default: dropped)")
	fs.DurationVar(&a.interval, "ageing-interval", ageing.DefaultConfig().Interval, "how often old rows are merged; 0: not by this server (another server of the deployment, or shukei age, does it)")
}

// policy returns the flags' policy, validated.
func (a *ageingFlags) policy() (site.Ageing, error) {
	p := site.Ageing{MinuteFor: a.minute, HourFor: a.hour, KeepDetail: a.keepDetail}
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("-ageing-minute/-ageing-hour: %w", err)
	}
	if a.interval != 0 && a.interval < time.Minute {
		return p, fmt.Errorf("-ageing-interval: %v: must be at least a minute (or 0)", a.interval)
	}
	return p, nil
}

// apply sets the flags' policy on the registry's sites.
func (a *ageingFlags) apply(sites *site.Registry) error {
	p, err := a.policy()
	if err != nil {
		return err
	}
	for _, s := range sites.All() {
		c := *s
		c.Ageing = p
		sites.Put(&c)
	}
	return nil
}
